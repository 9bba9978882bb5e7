"""The preview's rendered text and sidebar are cached per version of the speech: every
change anyone can see must show at once, and the cached forms must carry each browser's
own CSRF token."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from drafts.models import Comment, Item
from drafts.views.speeches import CSRF_MARK
from tests.factories import make_speech


def preview(client, speech):
    response = client.get(reverse("drafts:speech-preview", args=[speech.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_an_edit_shows_at_once(drafter_client, drafter):
    speech = make_speech(owner=drafter)
    item = Item.objects.get(part__speech=speech, kind="measure", position=1)
    assert "第1项措施的正文" in preview(drafter_client, speech)
    drafter_client.post(
        reverse("drafts:item-edit", args=[item.pk]),
        {"lead": "新的领句。", "body": "改过的措施正文。", "version": 1},
    )
    html = preview(drafter_client, speech)
    assert "改过的措施正文。" in html and "第1项措施的正文" not in html


@pytest.mark.django_db
def test_changes_made_outside_the_pages_show_too(drafter_client, drafter):
    speech = make_speech(owner=drafter)
    preview(drafter_client, speech)
    item = Item.objects.get(part__speech=speech, kind="lesson", position=1)
    Item.objects.filter(pk=item.pk).update(body="管理后台改的体会", updated_at=timezone.now())
    assert "管理后台改的体会" in preview(drafter_client, speech)
    Item.objects.filter(pk=item.pk).delete()
    assert "管理后台改的体会" not in preview(drafter_client, speech)


@pytest.mark.django_db
def test_comments_and_their_resolving_show_at_once(client, drafter, leader):
    speech = make_speech(owner=drafter)
    client.force_login(leader)
    preview(client, speech)
    client.post(
        reverse("drafts:comment-add", args=[speech.pk]), {"anchor": "opening", "text": "开头再短些"}
    )
    assert "开头再短些" in preview(client, speech)
    comment = Comment.objects.get()
    resolved = '<span class="badge text-bg-success">已解决</span>'
    client.post(reverse("drafts:comment-resolve", args=[comment.pk]))
    assert resolved in preview(client, speech)
    client.post(reverse("drafts:comment-resolve", args=[comment.pk]))
    assert resolved not in preview(client, speech)


@pytest.mark.django_db
def test_links_to_the_editing_page_only_for_those_who_may_edit(client, drafter, leader):
    speech = make_speech(owner=drafter)
    edit = reverse("drafts:speech-edit", args=[speech.pk])
    client.force_login(drafter)
    assert f'href="{edit}#' in preview(client, speech)
    client.force_login(leader)
    assert f'href="{edit}#' not in preview(client, speech)


@pytest.mark.django_db
def test_an_approved_speech_offers_no_comment_forms(client, drafter, leader):
    speech = make_speech(owner=drafter)
    client.force_login(leader)
    assert "添加批注" in preview(client, speech)
    client.force_login(drafter)
    client.post(
        reverse("drafts:speech-action", args=[speech.pk, "submit"]), {"submit-note": "请审"}
    )
    client.force_login(leader)
    client.post(reverse("drafts:speech-action", args=[speech.pk, "approve"]), {"approve-note": ""})
    assert "添加批注" not in preview(client, speech)


@pytest.mark.django_db
def test_cached_forms_carry_each_browser_s_own_csrf_token(drafter, leader):
    speech = make_speech(owner=drafter)
    for user, text in ((drafter, "起草人的批注"), (leader, "领导的批注")):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        html = preview(browser, speech)
        assert CSRF_MARK not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response = browser.post(
            reverse("drafts:comment-add", args=[speech.pk]),
            {"anchor": "closing", "text": text, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
    assert set(Comment.objects.values_list("text", flat=True)) == {"起草人的批注", "领导的批注"}
