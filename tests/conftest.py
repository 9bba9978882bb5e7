import pytest
from django.core.cache import cache

from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from tests.factories import make_speech, make_user


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    # MD5 keeps logins fast; plain static storage needs no collectstatic manifest.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rendered previews are cached per version of a speech; each test starts cold.
    cache.clear()
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def drafter(db):
    return make_user("drafter1", role=DRAFTER_GROUP)


@pytest.fixture
def leader(db):
    return make_user("leader1", role=REVIEWER_GROUP)


@pytest.fixture
def outsider(db):
    """Logged in, but with no role: sees nothing."""
    return make_user("outsider1")


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def drafter_client(client, drafter):
    client.force_login(drafter)
    return client


@pytest.fixture
def speech(drafter):
    return make_speech(owner=drafter)
