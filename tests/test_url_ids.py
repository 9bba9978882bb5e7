"""Ids in URLs and query strings: out of range, not a number or not a UUID is a 404 (or
the page without the filter), never a 500 (issue 13, case 6).

A 30-digit id overflowed SQLite's integer (OverflowError) and PostgreSQL's bigint.
"""

import pytest
from django.urls import reverse

from drafts.models import Comment, Revision

HUGE = "9" * 30
# Just past the largest bigint: the first id no column can hold.
PAST_BIGINT = str(2**63)


def speech_urls(pk: str) -> list[str]:
    return [
        f"/speeches/{pk}/",
        f"/speeches/{pk}/preview/",
        f"/speeches/{pk}/history/",
        f"/speeches/{pk}/compare/",
        f"/speeches/{pk}/export/",
        f"/speeches/{pk}/export.txt",
        f"/speeches/{pk}/export.json",
        f"/speeches/{pk}/export.docx",
    ]


def post_urls(pk: str) -> list[str]:
    return [
        f"/speeches/{pk}/delete/",
        f"/speeches/{pk}/header/",
        f"/speeches/{pk}/text/opening/",
        f"/parts/{pk}/text/heading/",
        f"/parts/{pk}/items/lesson/add/",
        f"/speeches/{pk}/actions/submit/",
        f"/speeches/{pk}/comments/",
        f"/comments/{pk}/resolve/",
        f"/revisions/{pk}/restore/",
        f"/trash/speeches/{pk}/restore/",
        f"/speeches/{pk}/presence/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("pk", [HUGE, PAST_BIGINT])
def test_an_id_no_column_can_hold_is_not_found(drafter_client, speech, pk):
    for url in speech_urls(pk):
        assert drafter_client.get(url).status_code == 404, url
    for url in post_urls(pk):
        assert drafter_client.post(url, {}).status_code == 404, url


@pytest.mark.django_db
def test_the_largest_bigint_is_an_id_that_is_merely_missing(drafter_client, speech):
    largest = str(2**63 - 1)
    for url in speech_urls(largest):
        assert drafter_client.get(url).status_code == 404, url


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "-1", "²", "abc", "1.5", "\x00", "9" * 5000])
def test_query_string_values_never_fail(drafter_client, speech, value):
    Revision.objects.create(
        speech=speech, anchor="opening", label="开场白", fields={}, author_id=speech.owner_id
    )
    pages = [
        (reverse("drafts:speech-compare", args=[speech.pk]), ["old", "new"]),
        (reverse("drafts:speech-history", args=[speech.pk]), ["anchor", "page"]),
        (reverse("drafts:trash"), ["speech"]),
    ]
    for url, names in pages:
        for name in names:
            response = drafter_client.get(url, {name: value})
            # The page itself, the page without what could not be read, or a redirect to it.
            assert response.status_code in (200, 302, 404), (url, name, response.status_code)


@pytest.mark.django_db
def test_a_comment_resolve_with_a_huge_id_is_not_found(drafter_client, speech):
    Comment.objects.create(speech=speech, anchor="opening", author=speech.owner, text="批注")
    assert drafter_client.post(f"/comments/{HUGE}/resolve/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, PAST_BIGINT, "-1", "²", "9" * 5000])
def test_an_id_in_a_form_field_that_no_row_can_have_is_refused_in_chinese(
    drafter_client, speech, value
):
    url = reverse("drafts:comment-add", args=[speech.pk])
    response = drafter_client.post(url, {"anchor": "opening", "text": "批注", "parent": value})
    assert response.status_code == 422
    assert not Comment.objects.exists()
    data = {"title": "新稿", "start": "copy", "source": value}
    response = drafter_client.post(reverse("drafts:speech-create"), data)
    assert response.status_code == 422
    assert "选择" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["not-a-uuid", "9" * 30, "12345678-1234-1234-1234-1234567890AB"])
def test_an_item_id_that_is_no_uuid_is_not_found(drafter_client, speech, value):
    for url in (f"/items/{value}/", f"/items/{value}/move/", f"/items/{value}/delete/"):
        assert drafter_client.post(url, {}).status_code == 404, url
    assert drafter_client.post(f"/trash/items/{value}/restore/").status_code == 404
