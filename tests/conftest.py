import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_speech


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # MD5 keeps logins fast; plain static storage needs no collectstatic manifest.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def drafter(db):
    return get_user_model().objects.create_user("drafter1", password="pw-drafter-123")


@pytest.fixture
def leader(db):
    return get_user_model().objects.create_user("leader1", password="pw-leader-123")


@pytest.fixture
def outsider(db):
    return get_user_model().objects.create_user("outsider1", password="pw-outsider-123")


@pytest.fixture
def drafter_client(client, drafter):
    client.force_login(drafter)
    return client


@pytest.fixture
def speech(drafter):
    return make_speech(owner=drafter)
