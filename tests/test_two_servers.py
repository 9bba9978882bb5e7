"""Two gunicorn servers on one PostgreSQL database lose no edit between them.

The review issue's concurrency test (two people save the same item at the same moment)
across two app servers on different ports, one client on each, as behind nginx. The
servers are separate processes, so they cannot see pytest-django's test database inside
its transaction: the test creates a database of its own, migrates it with
``manage.py migrate`` and drops it afterwards. Runs in CI's PostgreSQL pass.
"""

import json
import secrets
import uuid
from functools import partial

import pytest
from django.urls import reverse

from tests.live import (
    Browser,
    at_once,
    ensure_collected_static,
    gunicorn,
    manage,
    postgres_database,
    postgres_server,
    read_rows,
)

SERVER = postgres_server()
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        SERVER is None,
        reason="needs DATABASE_URL=postgres://…@127.0.0.1:5432/… with the server running",
    ),
]

SETUP = """
from tests.factories import make_speech, make_user
from drafts.access import DRAFTER_GROUP
from drafts.models import Item
first = make_user("alpha", role=DRAFTER_GROUP)
make_user("beta", role=DRAFTER_GROUP)
speech = make_speech(owner=first)
item = Item.objects.get(part__speech=speech, kind="measure", position=2)
print(speech.pk, item.pk)
"""


@pytest.fixture
def shared_database():
    """A fresh, migrated database both servers use; dropped afterwards."""
    with postgres_database(SERVER) as url:
        yield url


def stored_item(database_url: str, item_id: str) -> tuple[str, int]:
    (row,) = [
        (body, version)
        for pk, body, version in read_rows(
            database_url, "SELECT id, body, version FROM drafts_item"
        )
        if str(pk) == str(uuid.UUID(item_id))
    ]
    return row


def test_two_servers_saving_the_same_item_keep_both_texts(shared_database, tmp_path):
    output = manage("shell", "-c", SETUP, database_url=shared_database).stdout
    speech_id, item_id = output.splitlines()[-1].split()
    ensure_collected_static()
    # Both servers sign sessions with one key, as two servers behind nginx must.
    env = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    edit = reverse("drafts:speech-edit", args=[speech_id])
    url = reverse("drafts:item-edit", args=[item_id])
    with (
        gunicorn(shared_database, tmp_path / "a.log", workers=2, env=env) as server_a,
        gunicorn(shared_database, tmp_path / "b.log", workers=2, env=env) as server_b,
    ):
        browsers = [Browser(server_a.url), Browser(server_b.url)]
        for browser, name in zip(browsers, ["alpha", "beta"], strict=True):
            browser.login(name, "pw-someone-123")
            assert f'id="item-{item_id}"' in browser.get(edit)
        texts = ["甲服务器上保存的正文。", "乙服务器上保存的正文，一字不能丢。"]
        results = at_once(
            *(
                partial(
                    browser.post,
                    url,
                    {"lead": "领句。", "body": text, "version": 1},
                    {"Accept": "application/json"},
                )
                for browser, text in zip(browsers, texts, strict=True)
            )
        )
        assert sorted(status for status, _ in results) == [200, 409]
        winner = next(i for i, (status, _) in enumerate(results) if status == 200)
        loser = 1 - winner
        assert stored_item(shared_database, item_id) == (texts[winner], 2)
        conflict = json.loads(results[loser][1])["conflicts"]["body"]
        assert (conflict["mine"], conflict["theirs"]) == (texts[loser], texts[winner])
        # Sessions live in the database: the loser's login works on the other server too,
        # and there it reads the winner's text.
        browsers[loser].base = (server_a, server_b)[winner].url
        assert texts[winner] in browsers[loser].get(edit)
