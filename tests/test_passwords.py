"""Passwords and Django's own messages (issue 13, point 9): no password of white space
only, on every path that sets one, and every message of Django's validators and form
fields in Chinese, a NUL character included."""

import gettext
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.core import validators
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import fields as model_fields
from django.urls import reverse
from django.utils import translation

from drafts.passwords import NotOnlyWhitespaceValidator
from tests.factories import make_user

CJK = re.compile(r"[\u4e00-\u9fff]")
# Django's own Chinese for "Null characters are not allowed." says "empty string".
GARBLED = "空字符串"
BLANK_PASSWORDS = [" " * 10, "\t" * 12, "\u3000" * 10, " \u200b" * 6, "\n \r\n" * 4]
STRONG = "Lanting-Xu-2026"


def errors_of(response) -> list[str]:
    """The error messages a form page shows, as text."""
    html = response.content.decode()
    found = re.findall(
        r'class="[^"]*(?:invalid-feedback|errorlist|alert)[^"]*"[^>]*>(.*?)</(?:p|ul|div)>',
        html,
        re.S,
    )
    return [re.sub(r"<[^>]+>", "", chunk).strip() for chunk in found if chunk.strip()]


@pytest.mark.parametrize("password", BLANK_PASSWORDS)
def test_a_password_of_white_space_only_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password)
    assert "空白" in " ".join(refused.value.messages)


@pytest.mark.parametrize("password", [STRONG, " Lanting Xu 2026 ", "密码　中间有全角空格2026"])
def test_white_space_inside_a_password_is_fine(password):
    NotOnlyWhitespaceValidator().validate(password)
    password_validation.validate_password(password)


def test_the_rules_are_stated_in_chinese():
    texts = password_validation.password_validators_help_texts()
    assert len(texts) == 5
    assert all(CJK.search(text) for text in texts), texts


@pytest.mark.django_db
@pytest.mark.parametrize("password", BLANK_PASSWORDS[:3])
def test_the_password_change_page_refuses_white_space(client, password):
    user = make_user("clerk")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-someone-123", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert any("空白" in error for error in errors_of(response)), errors_of(response)
    user.refresh_from_db()
    assert user.check_password("pw-someone-123")


@pytest.mark.django_db
def test_the_too_short_message_is_chinese_on_the_page(client):
    client.force_login(make_user("clerk"))
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-someone-123",
            "new_password1": "abc12345",
            "new_password2": "abc12345",
        },
    )
    errors = errors_of(response)
    assert any("太短" in error and "10" in error for error in errors), errors
    assert not any("too short" in error for error in errors)


@pytest.mark.django_db
def test_the_admin_refuses_white_space_for_a_new_user_and_a_new_password(client):
    admin = make_user("chief", is_staff=True, is_superuser=True)
    client.force_login(admin)
    blank = " " * 12
    added = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "usable_password": "true", "password1": blank, "password2": blank},
    )
    assert added.status_code == 200
    assert any("空白" in error for error in errors_of(added)), errors_of(added)
    assert not get_user_model().objects.filter(username="newcomer").exists()
    clerk = make_user("clerk")
    changed = client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"usable_password": "true", "password1": blank, "password2": blank},
    )
    assert changed.status_code == 200
    assert any("空白" in error for error in errors_of(changed)), errors_of(changed)
    clerk.refresh_from_db()
    assert clerk.check_password("pw-someone-123")


@pytest.mark.django_db
def test_createsuperuser_refuses_white_space_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", " " * 12)
    with pytest.raises(CommandError, match="空白"):
        call_command(
            "createsuperuser", "--noinput", "--username", "chief", "--email", "c@example.gov"
        )
    assert not get_user_model().objects.filter(username="chief").exists()


@pytest.mark.django_db
def test_createsuperuser_refuses_a_short_password_from_the_environment_in_chinese(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "short1")
    with pytest.raises(CommandError, match="太短"):
        call_command(
            "createsuperuser", "--noinput", "--username", "chief", "--email", "c@example.gov"
        )


@pytest.mark.django_db
def test_createsuperuser_without_a_password_makes_an_account_that_cannot_log_in(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("createsuperuser", "--noinput", "--username", "chief", "--email", "c@example.gov")
    assert not get_user_model().objects.get(username="chief").has_usable_password()


# --- Django's own messages, in Chinese


def django_messages():
    """(where, message) for every message of Django's validators, form and model fields,
    auth forms and password validators, rendered the way a page shows them."""
    found = []

    def subclasses(module, base):
        return [
            (n, c) for n, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, base)
        ]

    for module, base, label in (
        (forms.fields, forms.Field, "forms"),
        (forms.models, forms.Field, "forms"),
        (model_fields, model_fields.Field, "models"),
        (model_fields.related, model_fields.Field, "models"),
    ):
        for name, cls in subclasses(module, base):
            messages = {}
            for klass in reversed(cls.__mro__):
                messages.update(getattr(klass, "default_error_messages", {}))
            for code, message in messages.items():
                found.append((f"{label}.{name}.{code}", message))
    for name, cls in subclasses(validators, object):
        if isinstance(getattr(cls, "message", None), str | type(validators.EmailValidator.message)):
            found.append((f"validators.{name}", cls.message))
    for name, cls in subclasses(auth_forms, forms.BaseForm):
        for code, message in getattr(cls, "error_messages", {}).items():
            found.append((f"auth.{name}.{code}", message))
    return found


def rendered(message) -> str:
    """A message as a page shows it: plural forms chosen, placeholders filled."""
    text = message % {
        "limit_value": 10,
        "show_value": 12,
        "max": 3,
        "min": 1,
        "max_digits": 3,
        "max_decimal_places": 2,
        "max_whole_digits": 1,
        "num": 4,
        "length": 12,
    }
    return str(text)


@pytest.mark.parametrize(
    ("where", "message"),
    django_messages(),
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_every_message_of_djangos_validators_and_fields_is_chinese(where, message):
    with translation.override("zh-hans"):
        try:
            text = rendered(message)
        except (TypeError, KeyError, ValueError):
            text = str(message)
        assert CJK.search(text), f"{where}: {text}"
        assert GARBLED not in text, f"{where}: {text}"


@pytest.mark.django_db
def test_every_password_validators_message_is_chinese():
    user = get_user_model()(
        username="clerkname", first_name="clerkname", email="clerkname@example.gov"
    )
    refused = {
        "UserAttributeSimilarityValidator": "clerkname1",
        "MinimumLengthValidator": "abc",
        "CommonPasswordValidator": "password123",
        "NumericPasswordValidator": "1234567890123",
        "NotOnlyWhitespaceValidator": " " * 12,
    }
    seen = set()
    for validator in password_validation.get_default_password_validators():
        name = type(validator).__name__
        with pytest.raises(ValidationError) as error:
            validator.validate(refused[name], user)
        for text in error.value.messages:
            assert CJK.search(text) and "password" not in text.lower(), (name, text)
        seen.add(name)
    assert seen == set(refused)


def test_a_model_choice_that_is_gone_is_said_in_chinese():
    with translation.override("zh-hans"):
        message = model_fields.related.ForeignKey.default_error_messages["invalid"]
        text = str(message) % {"model": "user", "field": "id", "value": 5}
        assert CJK.search(text), text


# --- NUL characters


NUL_FORMS = [
    ("login", {"username": "cl\x00erk", "password": "pw-someone-123"}, False),
    ("login", {"username": "clerk", "password": "pw-some\x00one-123"}, False),
    (
        "password_change",
        {
            "old_password": "pw-someone-123",
            "new_password1": "Lanting\x00Xu-2026",
            "new_password2": "Lanting\x00Xu-2026",
        },
        True,
    ),
    (
        "password_change",
        {"old_password": "pw-\x00", "new_password1": STRONG, "new_password2": STRONG},
        True,
    ),
    ("admin:login", {"username": "cl\x00erk", "password": "x"}, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "data", "logged_in"), NUL_FORMS)
def test_a_nul_character_gets_a_clear_chinese_message_and_keeps_the_input(
    client, url_name, data, logged_in
):
    user = make_user("clerk")
    if logged_in:
        client.force_login(user)
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert any("空字符" in error and "NUL" in error for error in errors), errors
    assert not any(GARBLED in error for error in errors)
    if "username" in data:
        # The name typed comes back as typed (a password, as always, does not).
        assert f'name="username" value="{data["username"]}"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("pw-someone-123")


def test_the_project_catalog_is_compiled_from_its_source():
    """locale/zh_Hans/LC_MESSAGES/django.mo says what django.po says (compile after an edit)."""
    folder = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    with open(folder / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)

    def text(chunk):
        return "".join(re.findall(r'"(.*)"', chunk)).replace('\\"', '"').replace("\\n", "\n")

    entries = re.findall(
        r'^msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?msgstr(?:\[0\])? ((?:".*"\n)+)',
        source,
        re.M,
    )
    checked = 0
    for msgid, plural, msgstr in entries:
        if not text(msgid):
            continue  # the header
        if plural:
            assert catalog.ngettext(text(msgid), text(plural), 1) == text(msgstr)
        else:
            assert catalog.gettext(text(msgid)) == text(msgstr)
        checked += 1
    assert checked == 3


def test_the_password_examples_hold():
    import doctest

    from drafts import passwords

    result = doctest.testmod(passwords)
    assert result.attempted > 0 and result.failed == 0
