"""Who the user of a request is: the session, the user with their unit and roles (one
query), and the rule for reading one speech, each as cheap as every page needs it."""

import doctest
from datetime import timedelta
from ipaddress import ip_address, ip_network

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafts import audit, workflow
from drafts.access import (
    DRAFTER_GROUP,
    REVIEWER_GROUP,
    UserWithRolesBackend,
    agency_id_of,
    may_read,
    readable_speeches,
    roles_of,
)
from drafts.audit import client_address
from drafts.models import Agency, AuditEvent, Membership
from drafts.sessions import SessionStore
from speechdraft.settings import env_trusted_proxies
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


# --- The client's address (issue 13, point 7)

NGINX = "127.0.0.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        # No proxy trusted: the peer is the client, whatever the header says.
        ("203.0.113.9", "6.6.6.6", 0, "203.0.113.9"),
        ("203.0.113.9", "", 0, "203.0.113.9"),
        # One proxy (nginx): its peer, the right-most entry, is the client; the entries
        # left of it were written by the client.
        (NGINX, "6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),
        (NGINX, "not-an-ip, 203.0.113.9", 1, "203.0.113.9"),
        (NGINX, "203.0.113.9", 1, "203.0.113.9"),
        # Two proxies: the second entry from the right.
        ("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        # Fewer entries than proxies: the request skipped one; its left-most hop it is.
        ("10.0.0.1", "203.0.113.9", 2, "203.0.113.9"),
        # nginx on a unix socket: no peer address, the hop nginx wrote counts.
        ("", "6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),
        ("unix:/run/speechdraft.sock", "203.0.113.9", 1, "203.0.113.9"),
        # Straight to gunicorn, past nginx: no header, the peer itself.
        ("203.0.113.9", "", 1, "203.0.113.9"),
        # Trusted proxies by address or network: the right-most hop not among them.
        (NGINX, "6.6.6.6, 203.0.113.9", ["127.0.0.1/32"], "203.0.113.9"),
        ("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", ["10.0.0.0/24"], "203.0.113.9"),
        ("10.0.0.1", "203.0.113.9, 10.0.0.2", ["10.0.0.1/32"], "10.0.0.2"),
        # A peer that is not a trusted proxy wrote the whole header itself: ignored.
        ("203.0.113.9", "6.6.6.6", ["127.0.0.1/32"], "203.0.113.9"),
        ("203.0.113.9", "not-an-ip", ["127.0.0.1/32"], "203.0.113.9"),
        # Every hop trusted: the left-most one; garbage left of a trusted hop was
        # written by that hop's client, so the hop itself is the client.
        ("10.0.0.1", "10.0.0.7", ["10.0.0.0/24"], "10.0.0.7"),
        ("10.0.0.1", "not-an-ip, 10.0.0.7", ["10.0.0.0/24"], "10.0.0.7"),
        ("10.0.0.1", "not-an-ip", ["10.0.0.0/24"], "10.0.0.1"),
        # Invalid values are never an address: no address rather than a 500.
        ("not-an-ip", "", 0, None),
        ("", "", 0, None),
        ("not-an-ip", "203.0.113.9", ["127.0.0.1/32"], None),
        (NGINX, "6.6.6.6, not-an-ip", 1, NGINX),
        (NGINX, "6.6.6.6, 1.2.3.4:5678", 1, NGINX),
        (NGINX, "6.6.6.6, \x00", 1, NGINX),
        (NGINX, ",,,", 1, NGINX),
        # As the database stores them: IPv6 without a zone, IPv4 mapped to IPv4.
        ("fe80::1%eth0", "", 0, "fe80::1"),
        ("::ffff:203.0.113.9", "", 0, "203.0.113.9"),
        (NGINX, "2001:DB8::1", 1, "2001:db8::1"),
        ("::1", "6.6.6.6, 2001:db8::1", ["::1/128"], "2001:db8::1"),
    ],
)
def test_the_client_is_the_right_most_hop_no_trusted_proxy_wrote(
    remote, forwarded, trusted, expected
):
    networks = trusted if isinstance(trusted, int) else [ip_network(n) for n in trusted]
    assert client_address(remote, forwarded, networks) == expected


@pytest.mark.parametrize(
    ("proxies", "legacy", "expected"),
    [
        (None, None, 0),
        ("", None, 0),
        ("0", None, 0),
        ("1", None, 1),
        (" 2 ", None, 2),
        (None, "1", 1),
        (None, "0", 0),
        ("127.0.0.1", None, [ip_network("127.0.0.1/32")]),
        (
            "10.0.0.11, 10.0.0.0/24,::1",
            None,
            [ip_network(n) for n in ("10.0.0.11/32", "10.0.0.0/24", "::1/128")],
        ),
        ("10.0.0.1/24", None, [ip_network("10.0.0.0/24")]),
    ],
)
def test_trusted_proxies_read_from_the_environment(monkeypatch, proxies, legacy, expected):
    for name, value in (
        ("DJANGO_TRUSTED_PROXIES", proxies),
        ("DJANGO_TRUST_X_FORWARDED_FOR", legacy),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert env_trusted_proxies() == expected


@pytest.mark.parametrize(
    ("proxies", "legacy"),
    [
        ("nginx", None),
        ("-1", None),
        ("10.0.0.300", None),
        ("1, 10.0.0.1", None),
        ("1", "1"),
        ("10.0.0.1", "0"),
    ],
)
def test_a_bad_proxy_setting_stops_the_start(monkeypatch, proxies, legacy):
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", proxies)
    if legacy is None:
        monkeypatch.delenv("DJANGO_TRUST_X_FORWARDED_FOR", raising=False)
    else:
        monkeypatch.setenv("DJANGO_TRUST_X_FORWARDED_FOR", legacy)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        env_trusted_proxies()


def failed_login(client, **meta):
    return client.post(reverse("login"), {"username": "clerk", "password": "wrong"}, **meta)


@pytest.mark.django_db
def test_behind_nginx_the_log_and_the_lockout_name_the_real_client(client, settings):
    settings.TRUSTED_PROXIES = 1
    make_user("clerk")
    response = failed_login(client, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert response.status_code == 200
    assert AuditEvent.objects.get().ip == "203.0.113.9"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


@pytest.mark.django_db
@pytest.mark.parametrize("trusted", [0, 1, [ip_network("127.0.0.1/32")]])
@pytest.mark.parametrize(
    ("remote", "forwarded"),
    [
        ("not-an-ip", "not-an-ip"),
        (NGINX, "not-an-ip"),
        (NGINX, "203.0.113.9, not-an-ip"),
        ("", "fe80::1%eth0"),
        ("fe80::1%eth0", "1" * 5000),
    ],
)
def test_a_forged_address_is_ignored_never_a_500(client, settings, trusted, remote, forwarded):
    settings.TRUSTED_PROXIES = trusted
    make_user("clerk")
    assert (
        failed_login(client, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    )
    logged_in = client.post(
        reverse("login"),
        {"username": "clerk", "password": "pw-someone-123"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert logged_in.status_code == 302
    for ip in AuditEvent.objects.values_list("ip", flat=True):
        assert ip is None or ip_address(ip)


def test_the_address_examples_hold():
    result = doctest.testmod(audit)
    assert result.attempted > 0 and result.failed == 0
