"""The session as the editing page's script sees it (save-protocol.md): an ended session
is a 401 the page understands, never a login page swapped into a section."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from drafts.access import REVIEWER_GROUP
from drafts.models import Item
from tests.factories import make_user

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}
HTMX = {"HTTP_HX_REQUEST": "true"}
LOGIN_URL = "/accounts/login/?next=%2Fsession%2Fdone%2F"


def first_item(speech):
    return Item.objects.filter(part__speech=speech, kind="achievement").order_by("position")[0]


# --- GET /session/


@pytest.mark.django_db
def test_session_status_names_the_user_and_gives_a_csrf_token(drafter_client, drafter):
    drafter.first_name = "小起草"
    drafter.save()
    response = drafter_client.get(reverse("drafts:session-status"))
    assert response.status_code == 200
    assert response.json()["user"] == "小起草"
    assert len(response.json()["csrf"]) == 64
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_session_status_of_an_ended_session_is_the_401_with_the_login_to_come_back_from(client):
    response = client.get(reverse("drafts:session-status"))
    assert response.status_code == 401
    assert response.json() == {
        "status": "login",
        "message": "登录已过期，请重新登录",
        "login_url": LOGIN_URL,
    }


@pytest.mark.django_db
def test_the_token_from_session_status_is_accepted_for_a_save(drafter, speech):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(drafter)
    token = browser.get(reverse("drafts:session-status")).json()["csrf"]
    item = first_item(speech)
    response = browser.post(
        reverse("drafts:item-move", args=[item.pk]),
        {"direction": "down", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # moved, not refused by the CSRF check
    item.refresh_from_db()
    assert item.position == 2


@pytest.mark.django_db
def test_session_done_says_to_go_back_to_the_editing_page(drafter_client):
    response = drafter_client.get(reverse("drafts:session-done"))
    assert response.status_code == 200
    assert "已重新登录，请关闭此页，回到编辑页面" in response.content.decode()


@pytest.mark.django_db
def test_the_login_of_the_401_ends_on_session_done(client, drafter):
    response = client.post(LOGIN_URL, {"username": "drafter1", "password": "pw-someone-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:session-done")


# --- Login-required views asked by a script without a session


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [JSON, HTMX], ids=["fetch", "htmx"])
def test_a_save_without_a_session_answers_401_json_not_the_login_page(client, speech, headers):
    item = first_item(speech)
    response = client.post(
        reverse("drafts:item-edit", args=[item.pk]),
        {"lead": "新领句。", "body": "新正文。", "version": 1},
        **headers,
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"] == "登录已过期，请重新登录"
    assert response.json()["login_url"] == LOGIN_URL
    item.refresh_from_db()
    assert item.body != "新正文。"


@pytest.mark.django_db
def test_a_person_without_a_session_is_still_sent_to_the_login_page(client, speech):
    response = client.get(reverse("drafts:speech-edit", args=[speech.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_logged_in_script_request_that_redirects_keeps_its_redirect(drafter_client, speech):
    # item-add answers a plain (non-htmx) post with a redirect to the editing page.
    part = first_item(speech).part
    response = drafter_client.post(
        reverse("drafts:item-add", args=[part.pk, "achievement"]), **JSON
    )
    assert response.status_code == 302
    assert "/speeches/" in response["Location"]


@pytest.mark.django_db
def test_an_htmx_list_operation_refused_for_the_role_says_why_in_json(client, speech):
    client.force_login(make_user("leader1", role=REVIEWER_GROUP))
    response = client.post(reverse("drafts:item-delete", args=[first_item(speech).pk]), **HTMX)
    assert response.status_code == 403
    assert response.json() == {"status": "refused", "message": "只有起草人员可以修改讲话稿。"}


@pytest.mark.django_db
def test_an_htmx_list_operation_on_a_submitted_speech_says_its_state(drafter_client, speech):
    speech.status = "submitted"
    speech.save()
    response = drafter_client.post(
        reverse("drafts:item-move", args=[first_item(speech).pk]), {"direction": "down"}, **HTMX
    )
    assert response.status_code == 403
    assert response.json()["message"] == "讲话稿当前为“待审核”，不能修改。"


@pytest.mark.django_db
def test_an_htmx_list_operation_on_a_deleted_item_says_it_is_gone(drafter_client, speech):
    url = reverse("drafts:item-move", args=[first_item(speech).pk])
    first_item(speech).delete()
    response = drafter_client.post(url, {"direction": "down"}, **HTMX)
    assert response.status_code == 404
    assert response.json()["status"] == "gone"
    assert "已不存在" in response.json()["message"]


@pytest.mark.django_db
def test_a_page_request_refused_still_gets_the_error_page(drafter_client, speech):
    url = reverse("drafts:item-move", args=[first_item(speech).pk])
    first_item(speech).delete()
    response = drafter_client.post(url)
    assert response.status_code == 404
    html = response.content.decode()
    # A page for a person (the reason and the way back), not JSON for a script.
    assert "未能完成这一操作" in html and "已不存在" in html


# --- CSRF failures


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [JSON, HTMX], ids=["fetch", "htmx"])
def test_a_script_save_with_a_stale_csrf_token_gets_json_to_retry_with(drafter, speech, headers):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(drafter)
    browser.get(reverse("drafts:session-status"))  # sets the CSRF cookie
    item = first_item(speech)
    response = browser.post(
        reverse("drafts:item-edit", args=[item.pk]),
        {"body": "新正文。", "version": 1, "csrfmiddlewaretoken": "x" * 64},
        **headers,
    )
    assert response.status_code == 403
    assert response.json() == {"status": "csrf", "message": "页面的安全校验已过期，正在重试…"}


@pytest.mark.django_db
def test_a_form_post_with_a_stale_csrf_token_gets_the_page_that_says_what_to_do(drafter, speech):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(drafter)
    response = browser.post(reverse("drafts:item-edit", args=[first_item(speech).pk]), {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


# --- Session rows (issue 13, point 8): only a login writes one

BOGUS = "bogus0session0key0that0the0server0never0gave0out"


def requests_without_a_session(speech):
    """Every kind of request a person or a probe sends before logging in (or after the
    session ended): method, path, data, headers."""
    item = first_item(speech)
    return [
        ("get", reverse("healthz"), None, {}),
        ("get", reverse("login"), None, {}),
        ("get", "/static/drafts/editor.js", None, {}),
        ("get", "/static/no-such-file.css", None, {}),
        ("get", reverse("drafts:home"), None, {}),
        ("get", reverse("drafts:speech-edit", args=[speech.pk]), None, {}),
        ("get", reverse("drafts:session-status"), None, JSON),
        ("get", reverse("drafts:session-status"), None, {"HTTP_X_BACKGROUND": "1"}),
        ("post", reverse("drafts:item-edit", args=[item.pk]), {"body": "x", "version": 1}, JSON),
        ("post", reverse("login"), {"username": "nobody", "password": "wrong"}, {}),
        ("get", "/no/such/page/", None, {}),
        ("get", "/admin/", None, {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie", [None, BOGUS, "short", "é" * 40], ids=["none", "unknown", "short", "non-ascii"]
)
def test_requests_without_a_session_write_no_session_row(client, speech, cookie):
    from django.contrib.sessions.models import Session

    for method, path, data, headers in requests_without_a_session(speech):
        if cookie is not None:
            client.cookies["sessionid"] = cookie
        response = getattr(client, method)(path, data, **headers)
        assert response.status_code < 500, path
        assert Session.objects.count() == 0, f"{method} {path} wrote a session row"


@pytest.mark.django_db
def test_an_expired_session_is_not_brought_back_by_the_next_request(client, drafter):
    from django.contrib.sessions.models import Session

    client.force_login(drafter)
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("drafts:home")).status_code == 302
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


@pytest.mark.django_db
def test_a_login_writes_the_one_session_row_and_pages_keep_it(client, drafter):
    from django.contrib.sessions.models import Session

    client.cookies["sessionid"] = BOGUS
    client.get(reverse("login"))
    response = client.post(reverse("login"), {"username": "drafter1", "password": "pw-someone-123"})
    assert response.status_code == 302
    assert Session.objects.count() == 1
    client.get(reverse("drafts:home"))
    client.get(reverse("healthz"))
    assert Session.objects.count() == 1
