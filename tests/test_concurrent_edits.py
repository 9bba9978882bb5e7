"""No lost edits: two people save the same item at the same moment.

The first test uses the test client; the last sends the two saves from two real
threads to gunicorn, so ``Speech.save_unit``'s lock is tested under real concurrency on
whichever database the suite runs on (across two servers: tests/test_two_servers.py).
"""

import json
from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from drafts.access import DRAFTER_GROUP
from drafts.models import Item
from tests.factories import make_speech, make_user
from tests.live import Browser, at_once, ensure_collected_static, gunicorn, live_database, manage


@pytest.mark.django_db
def test_second_of_two_clients_gets_the_conflict_view_with_its_text_intact(drafter):
    speech = make_speech(owner=drafter)
    other = make_user("drafter2", role=DRAFTER_GROUP)
    item = Item.objects.get(part__speech=speech, kind="achievement", position=1)
    first, second = Client(), Client()
    first.force_login(drafter)
    second.force_login(other)
    # Both load the editing page at version 1.
    assert (
        f'id="item-{item.pk}"'
        in first.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    )
    second.get(reverse("drafts:speech-edit", args=[speech.pk]))
    url = reverse("drafts:item-edit", args=[item.pk])
    loaded = {"base_lead": item.lead, "base_body": item.body, "version": 1}
    as_json = {"HTTP_ACCEPT": "application/json"}
    saved = first.post(url, {"lead": "甲的领句。", "body": "甲写的正文。", **loaded}, **as_json)
    refused = second.post(
        url, {"lead": "乙的领句。", "body": "乙写的正文，一字不能丢。", **loaded}, **as_json
    )
    assert saved.status_code == 200
    assert refused.status_code == 409
    conflicts = refused.json()["conflicts"]
    assert conflicts["body"]["mine"] == "乙写的正文，一字不能丢。"
    assert conflicts["body"]["theirs"] == "甲写的正文。"
    assert conflicts["lead"]["mine"] == "乙的领句。"
    item.refresh_from_db()
    assert (item.lead, item.body, item.version) == ("甲的领句。", "甲写的正文。", 2)


@pytest.mark.django_db
def test_editing_different_items_at_the_same_time_never_conflicts(drafter):
    speech = make_speech(owner=drafter)
    client = Client()
    client.force_login(drafter)
    items = Item.objects.filter(part__speech=speech, kind="lesson").order_by("position")
    for item in items:
        response = client.post(
            reverse("drafts:item-edit", args=[item.pk]),
            {"body": f"新的{item.position}", "version": 1},
        )
        assert response.status_code == 302
    assert sorted(
        Item.objects.filter(part__speech=speech, kind="lesson").values_list("body", flat=True)
    ) == ["新的1", "新的2", "新的3"]


SETUP = """
from tests.factories import make_speech, make_user
from drafts.access import DRAFTER_GROUP
from drafts.models import Item
first = make_user("alpha", role=DRAFTER_GROUP)
make_user("beta", role=DRAFTER_GROUP)
speech = make_speech(owner=first)
item = Item.objects.get(part__speech=speech, kind="measure", position=2)
print(speech.pk, item.pk, item.body)
"""


def test_two_threads_saving_the_same_item_against_gunicorn(tmp_path):
    # Real processes on a database of their own (an SQLite file, as `make run` serves,
    # or PostgreSQL in CI's second pass): pytest-django's live server would share one
    # in-memory connection between its threads, where no lock can be tested.
    with live_database(tmp_path) as database_url:
        output = manage("shell", "-c", SETUP, database_url=database_url).stdout
        speech_id, item_id, body = output.splitlines()[-1].split(maxsplit=2)
        ensure_collected_static()
        url = reverse("drafts:item-edit", args=[item_id])
        texts = ["甲线程保存的正文。", "乙线程保存的正文，不能丢失。"]
        with gunicorn(database_url, tmp_path / "server.log", workers=2) as server:
            browsers = [Browser(server.url), Browser(server.url)]
            for browser, name in zip(browsers, ["alpha", "beta"], strict=True):
                browser.login(name, "pw-someone-123")
                assert f'id="item-{item_id}"' in browser.get(
                    reverse("drafts:speech-edit", args=[speech_id])
                )
            results = at_once(
                *(
                    partial(
                        browser.post,
                        url,
                        {"lead": "领句。", "body": text, "base_body": body, "version": 1},
                        {"Accept": "application/json"},
                    )
                    for browser, text in zip(browsers, texts, strict=True)
                )
            )
    assert sorted(status for status, _ in results) == [200, 409]
    winner = next(i for i, (status, _) in enumerate(results) if status == 200)
    loser = 1 - winner
    conflict = json.loads(results[loser][1])["conflicts"]["body"]
    assert (conflict["mine"], conflict["theirs"]) == (texts[loser], texts[winner])
    assert json.loads(results[winner][1])["fields"]["body"] == texts[winner]
