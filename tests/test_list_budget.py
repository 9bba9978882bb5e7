"""Items per list (BUDGETS items_per_list): no way of adding makes a list longer.

A speech of 10,000 items took 37 s to open and 35-39 s a move (issue 13, case 2): adding,
另存为新条目, restoring from the trash and copying a speech all stop at the budget, with a
Chinese message that names it and the figure, and change nothing. The check holds under
the list's lock, so people adding at once cannot take a list past it together.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from drafts.importing import speech_errors
from drafts.models import DeletedItem, Item, Part, Speech
from tests.factories import make_speech, sample_structure
from tests.live import at_once

HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = {"HTTP_ACCEPT": "application/json"}
LIMIT = 10  # the smallest budget settings.py allows


@pytest.fixture
def budget(settings):
    settings.BUDGETS = {**settings.BUDGETS, "items_per_list": LIMIT}


@pytest.fixture
def full(drafter, budget):
    """A speech whose lessons fill their list: LIMIT of them."""
    return make_speech(owner=drafter, lessons=LIMIT)


def lessons(speech):
    return list(
        Item.objects.filter(part__speech=speech, kind="lesson")
        .order_by("position")
        .values_list("position", "body")
    )


def add_url(speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    return reverse("drafts:item-add", args=[part.pk, "lesson"])


FULL = f"启示已有 {LIMIT} 条，达到每个列表的上限（最多 {LIMIT} 条），不能再添加"


@pytest.mark.django_db
def test_adding_to_a_full_list_is_refused_beside_the_list(drafter_client, full):
    before = lessons(full)
    response = drafter_client.post(add_url(full), {}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert FULL in html
    # The list as it stands, the reason above it, as every refused list change.
    assert 'class="item-list"' in html and html.count('class="unit card item-card') == LIMIT
    assert lessons(full) == before


@pytest.mark.django_db
def test_adding_to_a_full_list_answers_the_script_in_json(drafter_client, full):
    response = drafter_client.post(add_url(full), {}, **JSON)
    assert response.status_code == 422
    assert FULL in response.json()["message"]
    assert len(lessons(full)) == LIMIT


@pytest.mark.django_db
def test_the_last_place_of_a_list_can_still_be_filled(drafter_client, drafter, budget):
    speech = make_speech(owner=drafter, lessons=LIMIT - 1)
    assert drafter_client.post(add_url(speech), {}, **HTMX).status_code == 200
    assert [position for position, _ in lessons(speech)] == list(range(1, LIMIT + 1))
    assert drafter_client.post(add_url(speech), {}, **HTMX).status_code == 422


@pytest.mark.django_db
def test_save_as_new_item_into_a_full_list_keeps_nothing_and_says_why(drafter_client, full):
    # 另存为新条目: the card still holds the text, so the answer is not swapped in.
    response = drafter_client.post(add_url(full), {"body": "被他人删除的那一条的文字"}, **HTMX)
    assert response.status_code == 400
    assert response.json()["message"].startswith("未另存：") and FULL in response.json()["message"]
    assert len(lessons(full)) == LIMIT
    assert "被他人删除的那一条的文字" not in str(lessons(full))


@pytest.mark.django_db
def test_restoring_into_a_full_list_leaves_the_item_in_the_trash(drafter_client, drafter, full):
    entry = Item.objects.get(part__speech=full, kind="lesson", position=1).remove(drafter)
    drafter_client.post(add_url(full), {}, **HTMX)  # the freed place is taken again
    url = reverse("drafts:item-restore", args=[entry.item_id])
    response = drafter_client.post(url, **HTMX)
    assert response.status_code == 422
    assert FULL in response.content.decode() and "未恢复" in response.content.decode()
    assert DeletedItem.objects.filter(pk=entry.pk).exists()
    assert len(lessons(full)) == LIMIT
    # From the trash page (no htmx): back to the trash with the reason.
    response = drafter_client.post(url, follow=True)
    assert FULL in response.content.decode()
    assert DeletedItem.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_a_copy_of_a_speech_with_a_list_past_the_budget_is_refused(
    drafter_client, drafter, settings
):
    # Stored before the budget was lowered (or before there was one).
    source = make_speech(owner=drafter, lessons=LIMIT + 1)
    settings.BUDGETS = {**settings.BUDGETS, "items_per_list": LIMIT}
    data = {"title": "复制的稿子", "start": "copy", "source": source.pk}
    response = drafter_client.post(reverse("drafts:speech-create"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f"第一部分 启示超过上限：最多 {LIMIT} 条，现有 {LIMIT + 1} 条" in html
    assert "复制的稿子" in html  # the title as typed
    assert Speech.objects.count() == 1


def test_speech_errors_name_each_list_past_the_budget(budget):
    refusals = speech_errors(sample_structure(lessons=LIMIT, measures=LIMIT + 1))
    assert refusals == [f"第二部分 整改措施超过上限：最多 {LIMIT} 条，现有 {LIMIT + 1} 条。"]
    assert speech_errors(sample_structure(lessons=LIMIT)) == []


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks tables without waiting; the live test"
    " (test_list_concurrency.py, against gunicorn) covers SQLite",
)
@pytest.mark.django_db(transaction=True)
def test_people_adding_at_once_never_take_a_list_past_its_budget(drafter, budget):
    speech = make_speech(owner=drafter, lessons=LIMIT - 2)
    part = Part.objects.get(speech=speech, kind="achievements")

    def add():
        try:
            Item.insert(part, "lesson", None, drafter)
            return "added"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    results = at_once(*[add] * 6)
    assert sorted(results) == ["added"] * 2 + ["refused"] * 4
    assert [position for position, _ in lessons(speech)] == list(range(1, LIMIT + 1))
