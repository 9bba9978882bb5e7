"""Users work on intranets without internet: nothing may load from outside the server."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)


def project_files():
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js", ".svg"}:
                yield path


def test_no_template_or_static_file_refers_to_an_outside_address():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files()
        if EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert list(project_files()), "no templates or static files were found to check"
    assert offenders == []


@pytest.mark.django_db
def test_rendered_pages_load_assets_only_from_the_server(drafter_client, speech):
    for url in [
        reverse("drafts:speech-list"),
        reverse("drafts:speech-edit", args=[speech.pk]),
        reverse("drafts:speech-preview", args=[speech.pk]),
    ]:
        html = drafter_client.get(url).content.decode()
        assert not EXTERNAL.search(html), url
        assert "/static/bootstrap/css/bootstrap.min.css" in html
        assert "/static/django_htmx/htmx-2.min.js" in html
