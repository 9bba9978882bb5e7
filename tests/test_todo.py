"""我的待办 (drafts/todo.py): the open suggestions and comments addressed to each person,
on the home page and as the badge in every page's menu, at one query a page."""

import copy
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafts import todo
from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Comment, Revision, Speech, Suggestion, SuggestionReply
from tests.factories import make_speech, make_user

BADGE = re.compile(r'<span class="badge[^"]*todo-badge"[^>]*>([^<]*)</span>')


@pytest.fixture
def colleague(db):
    """Another drafter of the agency, who has nothing to do with the speech."""
    return make_user("drafter2", role=DRAFTER_GROUP)


@pytest.fixture
def editor(db):
    """A drafter of the agency who edited the speech without owning it."""
    return make_user("drafter3", role=DRAFTER_GROUP)


def suggest(speech, user, text="新的开场白。"):
    return Suggestion.propose(
        speech.pk, "opening", "opening", base=speech.opening, proposed=text, user=user
    )


def comment(speech, user, text="请再斟酌", parent=None, anchor="opening"):
    return Comment.objects.create(
        speech=speech, anchor=anchor, author=user, text=text, parent=parent
    )


def waiting(user) -> int:
    """The badge's count, held to the lists the home page shows: the count is SQL of its
    own (one query), the lists are the ORM's."""
    listed = todo.suggestions_for(user).count() + todo.comments_for(user).count()
    counted = todo.count(user)
    assert counted == listed
    return counted


def set_status(speech, status):
    Speech.objects.filter(pk=speech.pk).update(status=status)


def badge(client) -> str:
    (shown,) = BADGE.findall(client.get(reverse("drafts:speech-list")).content.decode())
    return shown


# --- Who sees what


@pytest.mark.django_db
def test_a_drafter_gets_what_others_suggest_and_remark_on_their_speech(
    speech, drafter, leader, colleague
):
    suggestion = suggest(speech, leader)
    remark = comment(speech, leader)
    comment(speech, drafter, "我自己的提醒")
    assert list(todo.suggestions_for(drafter)) == [suggestion]
    assert list(todo.comments_for(drafter)) == [remark]
    assert waiting(drafter) == 2
    # A drafter of the agency who neither owns nor edited the speech gets none of it.
    assert waiting(colleague) == 0


@pytest.mark.django_db
def test_a_drafter_who_edited_the_speech_gets_it_too(speech, drafter, leader, editor):
    Revision.objects.create(
        speech=speech, anchor="opening", label="开场白", fields={}, author=editor
    )
    suggest(speech, leader)
    assert waiting(editor) == 1


@pytest.mark.django_db
def test_nothing_is_addressed_once_nothing_can_be_done(speech, drafter, leader):
    suggest(speech, leader)
    comment(speech, leader)
    set_status(speech, Speech.Status.SUBMITTED)
    # Submitted: a suggestion waits for the return, a comment may be answered.
    assert (todo.suggestions_for(drafter).count(), todo.comments_for(drafter).count()) == (0, 1)
    set_status(speech, Speech.Status.APPROVED)
    assert waiting(drafter) == 0
    set_status(speech, Speech.Status.RETURNED)
    assert waiting(drafter) == 2


@pytest.mark.django_db
def test_decided_resolved_and_trashed_ones_are_not_addressed(speech, drafter, leader):
    suggest(speech, leader).reject(drafter)
    Comment.objects.filter(pk=comment(speech, leader).pk).update(
        resolved_at=timezone.now(), resolved_by=drafter
    )
    reply = comment(speech, leader, "回复不是新的线索", parent=comment(speech, drafter))
    assert reply.parent.author == drafter and waiting(drafter) == 0
    suggest(speech, leader, "另一条建议。")
    assert waiting(drafter) == 1
    speech.move_to_trash(drafter)
    assert waiting(drafter) == 0


@pytest.mark.django_db
def test_another_agencys_speech_addresses_nobody_here(drafter, leader):
    elsewhere_owner = make_user("other-drafter", role=DRAFTER_GROUP, agency="别的局")
    elsewhere = make_speech(owner=elsewhere_owner)
    outsider_leader = make_user("other-leader", role=REVIEWER_GROUP, agency="别的局")
    suggest(elsewhere, outsider_leader)
    assert waiting(elsewhere_owner) == 1
    assert waiting(drafter) == 0 and waiting(leader) == 0


@pytest.mark.django_db
def test_a_reviewer_gets_the_answers_to_their_own_threads(speech, drafter, leader, second_leader):
    thread = comment(speech, leader)
    suggestion = suggest(speech, leader)
    suggest(speech, second_leader, "别人的建议。")
    assert waiting(leader) == 0  # nobody answered yet; another's suggestion is not mine
    comment(speech, drafter, "已按意见修改", parent=thread)
    SuggestionReply.objects.create(suggestion=suggestion, author=drafter, text="这样改可以吗")
    assert list(todo.comments_for(leader)) == [thread]
    assert list(todo.suggestions_for(leader)) == [suggestion]
    # The reviewer answered back: the last word is theirs, nothing waits for them.
    comment(speech, leader, "可以", parent=thread)
    SuggestionReply.objects.create(suggestion=suggestion, author=leader, text="可以")
    assert waiting(leader) == 0


@pytest.mark.django_db
def test_someone_with_both_roles_gets_both(speech, drafter, leader):
    both = make_user("both", role=DRAFTER_GROUP)
    both.groups.add(*leader.groups.all())
    mine = make_speech(owner=both)
    suggest(mine, leader)  # on their speech, by another
    thread = comment(speech, both)  # their remark on another's speech, answered
    comment(speech, drafter, "收到", parent=thread)
    assert waiting(both) == 2


@pytest.mark.django_db
def test_someone_without_a_role_has_nothing(outsider):
    assert waiting(outsider) == 0


# --- The home page and the badge


@pytest.mark.django_db
def test_the_home_page_lists_them(client, speech, drafter, leader):
    suggest(speech, leader, "开场白改得更简洁。")
    thread = comment(speech, leader, "数字再核实")
    client.force_login(drafter)
    html = client.get(reverse("drafts:home")).content.decode()
    assert "待处理的修改建议" in html and "开场白改得更简洁。" in html
    assert "数字再核实" in html and f"#comment-{thread.pk}" in html
    comment(speech, drafter, "已核实", parent=thread)
    client.force_login(leader)
    html = client.get(reverse("drafts:home")).content.decode()
    assert "您的这条批注有了新的回复。" in html and "数字再核实" in html


@pytest.mark.django_db
def test_the_badge_shows_the_count_on_every_page(client, speech, drafter, leader):
    client.force_login(drafter)
    assert badge(client) == ""  # nothing waits: an empty badge, which Bootstrap hides
    suggest(speech, leader)
    comment(speech, leader)
    assert badge(client) == "2"
    for name, args in [("drafts:home", []), ("drafts:speech-export", [speech.pk])]:
        html = client.get(reverse(name, args=args)).content.decode()
        assert BADGE.findall(html) == ["2"]


@pytest.mark.django_db
def test_a_cached_page_shows_each_reader_their_own_count(client, settings, speech, drafter, leader):
    settings.PAGE_CACHE = True
    suggest(speech, leader)
    thread = comment(speech, leader, "请起草人核实")
    url = reverse("drafts:speech-preview", args=[speech.pk])
    client.force_login(drafter)
    assert BADGE.findall(client.get(url).content.decode()) == ["2"]
    client.force_login(leader)
    assert BADGE.findall(client.get(url).content.decode()) == [""]
    comment(speech, drafter, "已核实", parent=thread)
    # The page changed (a reply) and is rendered again; then served from the cache.
    for _ in range(2):
        assert BADGE.findall(client.get(url).content.decode()) == ["1"]


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("password_change")).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_badge_costs_one_query_whatever_the_number_of_threads(
    client, settings, speech, drafter, leader
):
    client.force_login(drafter)
    page_queries(client)  # the first request of a session writes to it
    with_badge = page_queries(client)
    original = settings.TEMPLATES
    templates = copy.deepcopy(original)
    processors = templates[0]["OPTIONS"]["context_processors"]
    processors.remove("drafts.context_processors.todo_count")
    settings.TEMPLATES = templates
    without = page_queries(client)
    assert with_badge == without + 1
    settings.TEMPLATES = original
    for number in range(20):
        suggest(make_speech(owner=drafter), leader)
        comment(speech, leader, f"意见{number}")
    assert page_queries(client) == with_badge
    assert badge(client) == "40"


@pytest.mark.django_db
def test_an_administrator_sees_every_agency(drafter, leader):
    admin = make_user("admin", is_superuser=True)
    elsewhere_owner = make_user("other-drafter", role=DRAFTER_GROUP, agency="别的局")
    elsewhere = make_speech(owner=elsewhere_owner)
    Revision.objects.create(
        speech=elsewhere, anchor="opening", label="开场白", fields={}, author=admin
    )
    suggest(elsewhere, make_user("other-leader", role=REVIEWER_GROUP, agency="别的局"))
    assert waiting(admin) == 1  # another agency's speech the administrator edited
    assert waiting(make_user("nobody-agency", role=DRAFTER_GROUP, agency=None)) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_the_count_and_the_lists_agree_whatever_happened(seed, drafter, leader, second_leader):
    import random

    from django.utils import timezone as tz

    rng = random.Random(seed)
    people = [drafter, leader, second_leader, make_user("drafter4", role=DRAFTER_GROUP)]
    speeches = [make_speech(owner=rng.choice([people[0], people[3]])) for _ in range(3)]
    for _ in range(40):
        speech, person = rng.choice(speeches), rng.choice(people)
        kinds = ["suggest", "suggest", "comment", "comment", "reply", "answer", "answer"]
        kind = rng.choice([*kinds, "status", "decide", "edit"])
        if kind == "suggest" and speech.status != Speech.Status.APPROVED:
            suggest(speech, person, f"建议{rng.random()}")
        elif kind == "comment":
            comment(speech, person, "意见")
        elif kind == "reply" and Comment.objects.filter(parent=None).exists():
            thread = rng.choice(list(Comment.objects.filter(parent=None)))
            comment(thread.speech, person, "回复", parent=thread)
        elif kind == "answer" and Suggestion.objects.exists():
            answered = rng.choice(list(Suggestion.objects.all()))
            SuggestionReply.objects.create(suggestion=answered, author=person, text="回复")
        elif kind == "status":
            set_status(speech, rng.choice(Speech.Status.values))
            speech.refresh_from_db()
        elif kind == "decide" and Suggestion.objects.open().exists():
            Suggestion.objects.filter(pk=Suggestion.objects.open().first().pk).update(
                status=rng.choice(["accepted", "rejected", "withdrawn"])
            )
        elif kind == "edit":
            Revision.objects.create(
                speech=speech, anchor="opening", label="开场白", fields={}, author=person
            )
        threads = list(Comment.objects.filter(parent=None, resolved_at=None))
        if threads and rng.random() < 0.2:
            Comment.objects.filter(pk=rng.choice(threads).pk).update(resolved_at=tz.now())
    counts = [waiting(person) for person in people]
    assert sum(counts) > 0  # something is addressed to someone: the rule is exercised


@pytest.mark.django_db
def test_past_ninety_nine_the_badge_says_so_and_stops_counting(client, speech, drafter, leader):
    Comment.objects.bulk_create(
        Comment(speech=speech, anchor="opening", author=leader, text=f"意见{n}") for n in range(120)
    )
    assert todo.count(drafter) == todo.MOST + 1
    client.force_login(drafter)
    assert badge(client) == "99+"
