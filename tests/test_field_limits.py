"""Characters per field: every form that writes a column refuses what the column cannot
hold, with the same Chinese message, so SQLite (which stores anything) and PostgreSQL
(whose varchar(200) refused a 201-character part heading with a 500) agree. And
``Speech.save_unit`` itself refuses, for callers that are not forms (issue 13, case 4).
"""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafts import budgets
from drafts.models import Comment, Item, Part, Speech, Transition, text_limit

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def small(settings):
    """Small budgets, so a field just over its limit stays a small request."""
    settings.BUDGETS = {**settings.BUDGETS, "field_chars": 1000, "title_chars": 60}
    settings.BUDGETS["comment_chars"] = 100
    return budgets.configured()


def header(speech, **changes):
    data = {
        "title": speech.title,
        "occasion": speech.occasion,
        "organization": speech.organization,
        "speaker": speech.speaker,
        "date": "",
        "salutation": speech.salutation,
        "pace": speech.pace,
        "version": speech.version,
    }
    return {**data, **changes}


def part(speech, kind="achievements"):
    return Part.objects.get(speech=speech, kind=kind)


def measure(speech):
    return Item.objects.get(part__speech=speech, kind="measure", position=1)


# (what is saved, the form field, the model and column it is stored in)
UNITS = [
    ("header", "title", Speech, "title"),
    ("header", "occasion", Speech, "occasion"),
    ("header", "organization", Speech, "organization"),
    ("header", "speaker", Speech, "speaker"),
    ("header", "salutation", Speech, "salutation"),
    ("opening", "text", Speech, "opening"),
    ("closing", "text", Speech, "closing"),
    ("heading", "text", Part, "heading"),
    ("intro", "text", Part, "intro"),
    ("lead", "lead", Item, "lead"),
    ("body", "body", Item, "body"),
]


def post_unit(client, speech, unit, name, text):
    if unit == "header":
        url = reverse("drafts:speech-header-edit", args=[speech.pk])
        return client.post(url, header(speech, **{name: text}), **JSON)
    if unit in ("opening", "closing"):
        url = reverse("drafts:speech-text-edit", args=[speech.pk, unit])
        return client.post(url, {"text": text, "version": 1}, **JSON)
    if unit in ("heading", "intro"):
        url = reverse("drafts:part-text-edit", args=[part(speech).pk, unit])
        return client.post(url, {"text": text, "version": 1}, **JSON)
    item = measure(speech)
    data = {"lead": item.lead, "body": item.body, "version": 1, name: text}
    return client.post(reverse("drafts:item-edit", args=[item.pk]), data, **JSON)


def stored(speech, model, column):
    row = {Speech: speech, Part: part(speech), Item: measure(speech)}[model]
    return getattr(type(row).objects.get(pk=row.pk), column)


@pytest.mark.django_db
@pytest.mark.parametrize(("unit", "name", "model", "column"), UNITS)
def test_one_character_over_the_column_is_refused_in_chinese_and_nothing_is_written(
    drafter_client, speech, small, unit, name, model, column
):
    limit = text_limit(model, column)
    before = stored(speech, model, column)
    response = post_unit(drafter_client, speech, unit, name, "长" * (limit + 1))
    assert response.status_code == 422
    message = response.json()["errors"][name][0]
    assert f"内容过长：最多 {limit} 字，现有 {limit + 1} 字" in message
    assert stored(speech, model, column) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("unit", "name", "model", "column"), UNITS)
def test_exactly_the_column_s_width_is_stored_on_either_database(
    drafter_client, speech, small, unit, name, model, column
):
    limit = text_limit(model, column)
    response = post_unit(drafter_client, speech, unit, name, "长" * limit)
    assert response.status_code == 200, response.content.decode()
    assert stored(speech, model, column) == "长" * limit


def test_the_limits_are_the_columns_and_the_budgets(settings):
    configured = budgets.configured()
    assert text_limit(Part, "heading") == 200
    assert text_limit(Speech, "salutation") == 50
    assert text_limit(Speech, "title") == configured.title_chars
    assert text_limit(Item, "body") == configured.field_chars
    assert text_limit(Comment, "text") == configured.comment_chars
    assert text_limit(Transition, "note") == configured.comment_chars
    assert text_limit(Item, "body", replace(configured, field_chars=1234)) == 1234


@pytest.mark.django_db
def test_save_unit_itself_refuses_a_heading_past_its_column(speech, drafter):
    # A caller that is no form (a restore, later a suggestion): a ValidationError in
    # Chinese, not PostgreSQL's DataError.
    heading = part(speech).heading
    with pytest.raises(ValidationError) as refused:
        Speech.save_unit(
            speech.pk,
            "part_one.heading",
            texts={"heading": "标" * 201},
            bases={"heading": heading},
            version=1,
            user=drafter,
            label="标题",
        )
    assert "最多 200 字，现有 201 字" in refused.value.messages[0]
    assert part(speech).heading == heading


@pytest.mark.django_db
def test_a_comment_over_its_budget_is_refused_with_the_figure(drafter_client, speech, small):
    url = reverse("drafts:comment-add", args=[speech.pk])
    response = drafter_client.post(url, {"anchor": "opening", "text": "批" * 101})
    assert response.status_code == 422
    assert "内容过长：最多 100 字，现有 101 字" in response.content.decode()
    assert "批" * 101 in response.content.decode()  # the comment as typed comes back
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_review_note_over_its_budget_is_refused_with_the_figure(drafter_client, speech, small):
    url = reverse("drafts:speech-action", args=[speech.pk, "submit"])
    response = drafter_client.post(url, {"submit-note": "注" * 101})
    assert response.status_code == 422
    assert "内容过长：最多 100 字，现有 101 字" in response.content.decode()
    assert Speech.objects.get(pk=speech.pk).status == "draft"


@pytest.mark.django_db
def test_a_new_speech_s_title_over_its_budget_is_refused(drafter_client, small):
    response = drafter_client.post(reverse("drafts:speech-create"), {"title": "题" * 61})
    assert response.status_code == 422
    assert "内容过长：最多 60 字，现有 61 字" in response.content.decode()
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_no_box_carries_a_maxlength_that_would_cut_a_paste(drafter_client, speech):
    pages = [
        reverse("drafts:speech-edit", args=[speech.pk]),
        reverse("drafts:speech-preview", args=[speech.pk]),
        reverse("drafts:speech-create"),
    ]
    for url in pages:
        assert "maxlength" not in drafter_client.get(url).content.decode(), url
