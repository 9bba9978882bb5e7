"""Presence: who else has the editing page of a speech open, and in which unit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from drafts.access import DRAFTER_GROUP
from drafts.models import Presence
from tests.factories import make_user

JSON = {"HTTP_ACCEPT": "application/json"}


def beat(client, speech, **data):
    return client.post(reverse("drafts:speech-presence", args=[speech.pk]), data, **JSON)


@pytest.fixture
def colleague(db):
    return make_user("drafter2", role=DRAFTER_GROUP, first_name="张三")


@pytest.mark.django_db
def test_a_beat_names_the_colleagues_in_the_speech_and_their_unit(
    client, drafter, colleague, speech
):
    client.force_login(colleague)
    beat(client, speech, unit="item-0b4ffc31-54f4-4a0b-8a4e-5fd0e1ad8a11")
    client.force_login(drafter)
    response = beat(client, speech, unit="header")
    assert response.status_code == 200
    assert response.json() == {
        "others": [{"user": "张三", "unit": "item-0b4ffc31-54f4-4a0b-8a4e-5fd0e1ad8a11"}]
    }
    # The drafter is recorded too, and does not see themselves.
    assert Presence.objects.get(user=drafter).unit_key == "header"


@pytest.mark.django_db
def test_the_latest_beat_of_a_person_wins(client, drafter, speech):
    client.force_login(drafter)
    beat(client, speech, unit="header")
    beat(client, speech, unit="text-opening")
    assert list(Presence.objects.values_list("unit_key", flat=True)) == ["text-opening"]


@pytest.mark.django_db
def test_a_colleague_silent_for_a_minute_is_no_longer_shown(client, drafter, colleague, speech):
    Presence.objects.create(
        speech=speech,
        user=colleague,
        unit_key="header",
        seen_at=timezone.now() - Presence.FRESH - timedelta(seconds=1),
    )
    client.force_login(drafter)
    assert beat(client, speech).json() == {"others": []}


@pytest.mark.django_db
def test_leaving_takes_the_person_off_at_once(client, drafter, colleague, speech):
    client.force_login(colleague)
    beat(client, speech, unit="header")
    beat(client, speech, leave="1")
    client.force_login(drafter)
    assert beat(client, speech).json() == {"others": []}


@pytest.mark.django_db
@pytest.mark.parametrize("unit", ["<script>", "x" * 65, "Header"])
def test_a_unit_key_that_is_not_ours_is_stored_as_no_unit(client, drafter, speech, unit):
    client.force_login(drafter)
    assert beat(client, speech, unit=unit).status_code == 200
    assert Presence.objects.get().unit_key == ""


@pytest.mark.django_db
def test_presence_of_one_speech_is_not_shown_in_another(client, drafter, colleague, speech):
    from tests.factories import make_speech

    other = make_speech(owner=colleague)
    client.force_login(colleague)
    beat(client, other, unit="header")
    client.force_login(drafter)
    assert beat(client, speech).json() == {"others": []}


@pytest.mark.django_db
def test_a_beat_costs_a_few_queries_whatever_the_number_of_colleagues(
    client, drafter, speech, django_assert_max_num_queries
):
    for n in range(5):
        user = make_user(f"colleague{n}", role=DRAFTER_GROUP)
        Presence.objects.create(speech=speech, user=user, unit_key="header")
    client.force_login(drafter)
    beat(client, speech)
    # Session, user, speech, the beat's update, the others.
    with django_assert_max_num_queries(6):
        assert len(beat(client, speech).json()["others"]) == 5


@pytest.mark.django_db
def test_on_a_submitted_speech_the_beat_says_it_cannot_be_changed(client, drafter, speech):
    speech.status = "submitted"
    speech.save()
    client.force_login(drafter)
    response = beat(client, speech)
    assert response.status_code == 403
    assert "讲话稿当前为“待审核”，不能修改。" in response.json()["message"]
    assert not Presence.objects.exists()


@pytest.mark.django_db
def test_without_a_session_the_beat_is_the_401(client, speech):
    response = beat(client, speech)
    assert response.status_code == 401
    assert response.json()["status"] == "login"


@pytest.mark.django_db
def test_the_beat_does_not_keep_an_unattended_page_logged_in(client, drafter, speech):
    client.force_login(drafter)
    client.get(reverse("drafts:home"))  # the user's own request renews the session
    renewed = client.session["_renewed_at"]
    session = client.session
    session["_renewed_at"] = renewed - 3600
    session.save()
    client.post(reverse("drafts:speech-presence", args=[speech.pk]), HTTP_X_BACKGROUND="1", **JSON)
    client.get(reverse("drafts:session-status"), HTTP_X_BACKGROUND="1")
    assert client.session["_renewed_at"] == renewed - 3600
    client.get(reverse("drafts:home"))
    assert client.session["_renewed_at"] >= renewed
