"""No lost edits: two people save the same item at the same moment.

The first test uses the test client; the second sends the two saves from two real
threads to a live server, so the compare-and-set is tested under real concurrency on
whichever database the suite runs on (SQLite by default, PostgreSQL in CI's second run).
"""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from drafts.access import DRAFTER_GROUP
from drafts.models import Item
from tests.factories import make_speech, make_user
from tests.live import Browser


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
    saved = first.post(
        url, {"lead": "甲的领句。", "body": "甲写的正文。", "version": 1}, HTTP_HX_REQUEST="true"
    )
    refused = second.post(
        url,
        {"lead": "乙的领句。", "body": "乙写的正文，一字不能丢。", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "乙写的正文，一字不能丢。" in html and "甲写的正文。" in html
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


@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_the_same_item_against_a_live_server(live_server):
    first_user = make_user("alpha", role=DRAFTER_GROUP)
    make_user("beta", role=DRAFTER_GROUP)
    speech = make_speech(owner=first_user)
    item = Item.objects.get(part__speech=speech, kind="measure", position=2)
    browsers = [Browser(live_server.url), Browser(live_server.url)]
    for browser, name in zip(browsers, ["alpha", "beta"], strict=True):
        browser.login(name, "pw-someone-123")
        assert f'id="item-{item.pk}"' in browser.get(
            reverse("drafts:speech-edit", args=[speech.pk])
        )
    url = reverse("drafts:item-edit", args=[item.pk])
    texts = ["甲线程保存的正文。", "乙线程保存的正文，不能丢失。"]
    results: dict[int, tuple[int, str]] = {}
    start = threading.Barrier(2)

    def save(index: int) -> None:
        start.wait()
        results[index] = browsers[index].post(
            url, {"lead": "领句。", "body": texts[index], "version": 1}, {"HX-Request": "true"}
        )

    threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200, 409]
    winner = next(i for i, (status, _) in results.items() if status == 200)
    loser = 1 - winner
    item.refresh_from_db()
    assert item.body == texts[winner]
    assert item.version == 2
    assert texts[loser] in results[loser][1]
    assert texts[winner] in results[loser][1]
