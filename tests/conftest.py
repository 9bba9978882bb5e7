import pytest
from django.core.cache import cache

from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Item
from tests.factories import MEASURE_BODY, make_speech, make_user


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
def second_leader(db):
    """Another reviewer of the agency, named as pages show a full name."""
    return make_user("leader2", role=REVIEWER_GROUP, first_name="副局长")


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


@pytest.fixture
def measure(speech):
    """The speech's first measure, its body :data:`~tests.factories.MEASURE_BODY`."""
    item = Item.objects.get(part__speech=speech, kind="measure", position=1)
    Item.objects.filter(pk=item.pk).update(body=MEASURE_BODY)
    item.refresh_from_db()
    return item
