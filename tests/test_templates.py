"""Every template compiles: a tag left open by a merge is a 500 on the page that
includes it, found here before any page is requested."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

ROOT = Path(settings.BASE_DIR) / "templates"
TEMPLATES = sorted(str(path.relative_to(ROOT)) for path in ROOT.rglob("*.html"))


def test_there_are_templates_to_check():
    assert "drafts/partials/review_panel.html" in TEMPLATES


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_template_compiles(name):
    get_template(name)
