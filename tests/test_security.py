"""Security settings as a 等级保护 assessment would check them."""

import doctest
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from drafts import lockout
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[1]


def login(client, username, password, address="10.9.8.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_with_a_chinese_message(client):
    make_user("clerk")
    for _ in range(4):
        assert login(client, "clerk", "wrong-password").status_code == 200
    # The fifth failure locks: from then on even the right password is refused.
    assert login(client, "clerk", "wrong-password").status_code == 429
    locked = login(client, "clerk", "pw-someone-123")
    assert locked.status_code == 429
    assert "锁定 15 分钟" in locked.content.decode()
    # Another address is locked out of this account too: the account itself is locked.
    assert login(client, "clerk", "pw-someone-123", address="10.9.8.8").status_code == 429


@pytest.mark.django_db
def test_one_persons_typos_do_not_lock_a_colleague_at_the_same_address(client):
    # Everyone behind nginx or one office NAT arrives from one address.
    make_user("clerk")
    make_user("colleague")
    for _ in range(5):
        login(client, "clerk", "wrong-password", address="10.1.1.1")
    assert login(client, "clerk", "pw-someone-123", address="10.1.1.1").status_code == 429
    assert login(client, "colleague", "pw-someone-123", address="10.1.1.1").status_code == 302


@pytest.mark.django_db
def test_hammering_a_locked_account_does_not_lock_its_address(client, settings):
    make_user("clerk")
    make_user("colleague")
    for _ in range(settings.LOCKOUT_ADDRESS_FAILURES + 10):
        login(client, "clerk", "wrong-password", address="10.1.1.1")
    assert login(client, "colleague", "pw-someone-123", address="10.1.1.1").status_code == 302


@pytest.mark.django_db
def test_colleagues_with_a_few_typos_each_share_the_address_unlocked(client, settings):
    make_user("colleague")
    # Five people, each one typo short of their own lock: 20 failures, no lock.
    for person in range(5):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            login(client, f"person{person}", "wrong-password", address="10.1.1.1")
    assert login(client, "colleague", "pw-someone-123", address="10.1.1.1").status_code == 302


@pytest.mark.django_db
def test_a_password_sprayer_across_many_accounts_locks_the_address(client, settings):
    make_user("clerk")
    limit = settings.LOCKOUT_ADDRESS_FAILURES
    assert (settings.AXES_FAILURE_LIMIT, limit) == (5, 30)
    # One guess per account, as a sprayer does: no account reaches its own limit.
    for number in range(limit - 1):
        assert login(client, f"staff{number}", "Spring-2026", address="10.6.6.6").status_code == 200
    assert login(client, "clerk", "pw-someone-123", address="10.6.6.6").status_code == 302
    client.logout()
    login(client, f"staff{limit}", "Spring-2026", address="10.6.6.6")
    locked = login(client, "clerk", "pw-someone-123", address="10.6.6.6")
    assert locked.status_code == 429
    assert "该地址" in locked.content.decode() and "锁定 15 分钟" in locked.content.decode()
    # Only that address: the same person elsewhere logs in.
    assert login(client, "clerk", "pw-someone-123", address="10.6.6.7").status_code == 302


def test_the_lockout_examples_hold():
    result = doctest.testmod(lockout)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count(client):
    make_user("clerk")
    for _ in range(4):
        login(client, "clerk", "wrong-password")
    assert login(client, "clerk", "pw-someone-123").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "clerk", "wrong-password")
    assert login(client, "clerk", "pw-someone-123").status_code == 302


def test_sessions_expire_after_thirty_idle_minutes_and_at_browser_close(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_activity_renews_the_session_at_most_once_a_minute(client, monkeypatch):
    from django.contrib.sessions.models import Session

    from drafts import middleware

    make_user("clerk")
    login(client, "clerk", "pw-someone-123")
    key = client.cookies["sessionid"].value
    # The login itself stamped the session: two minutes on, a page renews it.
    clock = [int(time.time()) + 120]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    client.get(reverse("drafts:home"))
    first = expiry()
    clock[0] += 30  # half a minute later: no write
    client.get(reverse("drafts:home"))
    assert expiry() == first
    clock[0] += 31  # past a minute: the expiry moves on
    client.get(reverse("drafts:home"))
    assert expiry() > first
    assert (expiry() - first).total_seconds() > 0


@pytest.mark.django_db
def test_session_cookie_has_no_expiry_date_so_it_ends_with_the_browser(client):
    make_user("clerk")
    response = login(client, "clerk", "pw-someone-123")
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


@pytest.mark.django_db
def test_password_change_applies_the_rules(client):
    user = make_user("clerk")
    client.force_login(user)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    short = client.post(
        url,
        {
            "old_password": "pw-someone-123",
            "new_password1": "abc12345",
            "new_password2": "abc12345",
        },
    )
    # The error itself, not the page's note of the rules (which says 至少 10 位 too).
    assert "密码太短：至少需要 10 个字符。" in short.content.decode()
    numeric = client.post(
        url,
        {
            "old_password": "pw-someone-123",
            "new_password1": "1234567890123",
            "new_password2": "1234567890123",
        },
    )
    assert "全部为数字" in numeric.content.decode() or "全是数字" in numeric.content.decode()
    done = client.post(
        url,
        {
            "old_password": "pw-someone-123",
            "new_password1": "Lanting-Xu-2026",
            "new_password2": "Lanting-Xu-2026",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lanting-Xu-2026")


@pytest.mark.django_db
def test_createsuperuser_still_works():
    env_password = "Another-Strong-Pass-2026"
    os.environ["DJANGO_SUPERUSER_PASSWORD"] = env_password
    try:
        call_command(
            "createsuperuser", "--noinput", "--username", "chief", "--email", "chief@example.gov"
        )
    finally:
        del os.environ["DJANGO_SUPERUSER_PASSWORD"]
    assert get_user_model().objects.get(username="chief").check_password(env_password)


@pytest.mark.django_db
def test_headers_forbid_framing_sniffing_and_inline_scripts(client):
    make_user("clerk")
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, f"inline script in {path.relative_to(ROOT)}"
        assert " onclick=" not in text and " onload=" not in text, path


@pytest.mark.django_db
def test_error_pages_speak_chinese_and_reveal_nothing(client, settings):
    settings.DEBUG = False
    user = make_user("clerk")
    client.force_login(user)
    missing = client.get("/speeches/987654/preview/")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert (
        "找不到这个页面" in html
        and "Traceback" not in html
        and "speechdraft" not in html.lower().split("<title>")[0]
    )


def test_server_error_page_is_our_own():
    html = (ROOT / "templates/500.html").read_text(encoding="utf-8")
    assert "系统出现错误" in html and "{{" not in html.replace("{% static", "")


def run_check_deploy(**env):
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    base.update(
        DJANGO_SECRET_KEY="k" * 20 + "Q9v#x2!LmZ7&pR4@tY8^wN3*bH6%jK1(sD5)fG0_",
        DJANGO_ALLOWED_HOSTS="speech.example.gov",
        DATABASE_URL="sqlite:////tmp/speechdraft-check-deploy.sqlite3",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


def test_check_deploy_is_clean_behind_https():
    assert "System check identified no issues" in run_check_deploy(DJANGO_HTTPS="1")


def test_check_deploy_over_plain_http_leaves_only_the_https_checks():
    output = run_check_deploy()
    warnings = {
        line.split(")")[0].split("(")[-1] for line in output.splitlines() if "(security." in line
    }
    assert warnings == {"security.W004", "security.W008", "security.W012", "security.W016"}


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_ACCEPT"], ids=["user-agent", "accept"])
def test_a_nul_in_a_header_the_lockout_stores_is_no_500(client, header):
    make_user("clerk")
    meta = {header: "Mozilla/5.0\x00(forged)"}
    failed = client.post(reverse("login"), {"username": "clerk", "password": "wrong"}, **meta)
    assert failed.status_code == 200
    done = client.post(
        reverse("login"), {"username": "clerk", "password": "pw-someone-123"}, **meta
    )
    assert done.status_code == 302
    assert client.post(reverse("logout"), **meta).status_code == 302


def test_a_request_past_the_size_limit_is_refused_in_chinese_naming_the_limit(
    client, drafter, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client.force_login(drafter)
    body = {"text": "甲" * 400_000}  # 1.2 MB of UTF-8
    page = client.post(reverse("drafts:speech-import"), body)
    assert page.status_code == 400
    assert "单次提交上限 1 MB" in page.content.decode()
    answer = client.post(reverse("drafts:speech-import"), body, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert answer.json()["message"] == "提交的内容有误或过大（单次提交上限 1 MB），未处理。"


def test_opening_a_form_address_directly_gives_a_page_in_chinese_not_an_empty_405(client, drafter):
    # After a refused submit the address bar holds the form's address; Enter there
    # (or reopening the tab) is a GET, which require_POST answers with an empty 405.
    client.force_login(drafter)
    page = client.get(reverse("drafts:speech-import-create"))
    assert page.status_code == 405
    assert page["Allow"] == "POST"
    assert "无法直接打开这个地址" in page.content.decode()
    answer = client.get(reverse("drafts:speech-import-create"), HTTP_ACCEPT="application/json")
    assert answer.status_code == 405
    assert answer.json()["message"].startswith("这个地址只接收表单提交")


def test_a_refusal_is_logged_as_one_line_without_a_traceback(client, drafter, caplog):
    from drafts.models import Speech
    from speechdraft.log_filters import RefusalsWithoutTraceback
    from tests.factories import make_speech

    speech = make_speech(owner=drafter)
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.SUBMITTED)
    client.force_login(drafter)
    with caplog.at_level("WARNING", logger="django.request"):
        page = client.post(reverse("drafts:speech-header-edit", args=[speech.pk]), {})
    assert page.status_code == 403
    # The console handler's filter has taken the traceback off Django's record.
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    assert logging.Formatter().format(record).startswith("Forbidden (Permission denied): ")

    # A 5xx keeps its traceback.
    try:
        raise RuntimeError("数据库维护中")
    except RuntimeError:
        crash = logging.LogRecord("django.request", 40, "", 0, "x", (), sys.exc_info())
    crash.status_code = 500
    RefusalsWithoutTraceback().filter(crash)
    assert "Traceback" in logging.Formatter().format(crash)
