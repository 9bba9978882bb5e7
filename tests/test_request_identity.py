"""Who the user of a request is: the session, the user with their unit and roles (one
query), and the rule for reading one speech, each as cheap as every page needs it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafts import workflow
from drafts.access import (
    DRAFTER_GROUP,
    REVIEWER_GROUP,
    UserWithRolesBackend,
    agency_id_of,
    may_read,
    readable_speeches,
    roles_of,
)
from drafts.models import Agency, Membership
from drafts.sessions import SessionStore
from tests.factories import make_speech, make_user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("groups", "superuser", "roles"),
    [
        ([], False, set()),
        ([DRAFTER_GROUP], False, {workflow.DRAFTER}),
        ([REVIEWER_GROUP], False, {workflow.REVIEWER}),
        ([DRAFTER_GROUP, REVIEWER_GROUP], False, {workflow.DRAFTER, workflow.REVIEWER}),
        ([], True, {workflow.DRAFTER, workflow.REVIEWER}),
    ],
)
def test_the_user_comes_with_roles_and_unit_in_one_query(groups, superuser, roles):
    user = make_user("clerk", is_superuser=superuser)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    unit_id = Membership.objects.get(user=user).agency_id
    with CaptureQueriesContext(connection) as queries:
        loaded = UserWithRolesBackend().get_user(user.pk)
        assert roles_of(loaded) == roles
        assert agency_id_of(loaded) == unit_id
    assert len(queries) == 1
    assert loaded.username == "clerk" and loaded.check_password("pw-someone-123")


@pytest.mark.django_db
def test_a_user_without_unit_inactive_or_missing():
    loner = make_user("loner", role=DRAFTER_GROUP, agency=None)
    assert agency_id_of(UserWithRolesBackend().get_user(loner.pk)) is None
    gone = make_user("gone", role=DRAFTER_GROUP, is_active=False)
    assert UserWithRolesBackend().get_user(gone.pk) is None
    assert UserWithRolesBackend().get_user(gone.pk + 1000) is None


@pytest.mark.django_db
def test_a_role_taken_away_counts_from_the_next_request(client, drafter):
    speech = make_speech(owner=drafter)
    client.force_login(drafter)
    edit = reverse("drafts:speech-edit", args=[speech.pk])
    assert client.get(edit).status_code == 200
    drafter.groups.clear()
    assert client.get(edit).status_code == 404


@pytest.mark.django_db
def test_may_read_is_the_rule_of_readable_speeches():
    ours = make_speech(owner=make_user("owner", role=DRAFTER_GROUP))
    theirs = make_speech(owner=make_user("other", role=DRAFTER_GROUP, agency="另一局"))
    Agency.objects.create(name="空局")
    people = [
        make_user("d", role=DRAFTER_GROUP),
        make_user("r", role=REVIEWER_GROUP),
        make_user("no-role"),
        make_user("no-unit", role=DRAFTER_GROUP, agency=None),
        make_user("empty-unit", role=DRAFTER_GROUP, agency="空局"),
        make_user("root", is_superuser=True, agency=None),
    ]
    backend = UserWithRolesBackend()
    for person in people:
        for user in (person, backend.get_user(person.pk)):
            for speech in (ours, theirs):
                expected = readable_speeches(user).filter(pk=speech.pk).exists()
                assert may_read(user, speech) == expected, (person.username, speech.agency)
    assert may_read(people[0], ours) and not may_read(people[0], theirs)
    assert may_read(people[-1], theirs)


@pytest.mark.django_db
def test_the_session_store_reads_live_sessions_and_drops_expired_ones():
    store = SessionStore()
    store["note"] = "草稿"
    store.save()
    key = store.session_key
    assert SessionStore(key)["note"] == "草稿"
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    expired = SessionStore(key)
    assert "note" not in expired
    # Like Django's own store: the expired key is not reused for the new session.
    assert expired.session_key is None
    assert "note" not in SessionStore("no-such-session-key-0000000000")
