"""Suggestions (修改建议): made against the text their author saw, accepted through the
one version-checked save, re-based or stale when the field moved on (issue 14)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from drafts import suggestions, workflow
from drafts.models import (
    AuditEvent,
    Revision,
    Speech,
    Suggestion,
    SuggestionRefused,
    SuggestionReply,
    UnitGone,
)
from tests.factories import MEASURE_BODY as BODY
from tests.factories import body_of, make_user, propose, type_on

# --- The plain rules


@pytest.mark.parametrize(
    ("base", "current", "proposed", "after"),
    [
        # Nothing changed since: the proposal as it is.
        ("甲乙丙。", "甲乙丙。", "甲乙丁。", "甲乙丁。"),
        # Another passage changed since: both kept.
        ("一句。二句。", "一句好。二句。", "一句。二句妙。", "一句好。二句妙。"),
        # The very same change made meanwhile: already applied.
        ("一句。", "一句好。", "一句好。", "一句好。"),
        # The same passage changed otherwise: stale.
        ("一二三", "一甲三", "一乙三", None),
        # The whole field emptied meanwhile, the proposal edits inside it: stale.
        ("一句。二句。", "", "一句。二句妙。", None),
    ],
)
def test_rebase_keeps_both_or_says_stale(base, current, proposed, after):
    rebased = suggestions.rebase(base, current, proposed)
    assert rebased.text == after
    assert rebased.stale is (after is None)
    if after is not None:
        # The inline changes turn the current text into the result, exactly.
        assert "".join(t for op, t in rebased.ops if op != 1) == current
        assert "".join(t for op, t in rebased.ops if op != -1) == after
    else:
        assert "".join(t for op, t in rebased.ops if op != 1) == base
        assert "".join(t for op, t in rebased.ops if op != -1) == proposed


# --- Making one


@pytest.mark.django_db
def test_a_suggestion_keeps_its_base_and_changes_nothing(speech, measure, leader):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"), reason="更准确")
    assert (suggestion.base, suggestion.status, suggestion.reason) == (BODY, "open", "更准确")
    assert suggestion.label == "第二部分 措施一是 正文"
    assert body_of(measure) == BODY
    assert AuditEvent.objects.filter(action="suggest", speech_id=speech.pk).count() == 1


@pytest.mark.django_db
def test_a_second_proposal_by_the_same_person_replaces_the_first(speech, measure, leader):
    first = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    second = propose(speech, measure, leader, BODY.replace("学习", "政治理论学习"))
    assert first.pk == second.pk
    assert Suggestion.objects.open().get().proposed == BODY.replace("学习", "政治理论学习")


@pytest.mark.django_db
def test_two_people_each_keep_their_own(speech, measure, leader, second_leader):
    propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    propose(speech, measure, second_leader, BODY.replace("成效", "实效"))
    assert Suggestion.objects.open().count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proposed", "message"),
    [(BODY, "与原文相同"), ("字" * 20001, "过长")],
)
def test_a_proposal_saying_nothing_new_or_too_long_is_refused(
    speech, measure, leader, proposed, message
):
    with pytest.raises(SuggestionRefused, match=message):
        propose(speech, measure, leader, proposed)
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_a_reason_longer_than_a_comment_is_refused(speech, measure, leader):
    with pytest.raises(ValidationError, match="最多"):
        propose(speech, measure, leader, BODY + "补充。", reason="理" * 5001)


@pytest.mark.django_db
def test_an_approved_speech_refuses_new_suggestions(speech, measure, drafter, leader):
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    speech.take_action("approve", leader, {workflow.REVIEWER}, "")
    with pytest.raises(SuggestionRefused, match="已审定"):
        propose(speech, measure, leader, BODY + "补充。")


@pytest.mark.django_db
def test_a_submitted_speech_takes_suggestions_but_they_wait_for_the_return(
    speech, measure, drafter, leader
):
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    with pytest.raises(PermissionDenied, match="待审核"):
        suggestion.accept(drafter)
    assert Suggestion.objects.get().is_open
    speech.take_action("return", leader, {workflow.REVIEWER}, "请按建议修改")
    suggestion.accept(drafter)
    assert body_of(measure) == BODY.replace("学习", "理论学习")


@pytest.mark.django_db
def test_a_deleted_unit_takes_none(speech, measure, leader, drafter):
    measure.remove(drafter)
    with pytest.raises(UnitGone):
        propose(speech, measure, leader, BODY + "补充。")


# --- Accepting and rejecting


@pytest.mark.django_db
def test_accepting_writes_through_the_save_with_a_revision(speech, measure, leader, drafter):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    result = suggestion.accept(drafter)
    assert result.fields["body"] == BODY.replace("学习", "理论学习")
    measure.refresh_from_db()
    assert (measure.body, measure.version, measure.updated_by) == (
        result.fields["body"],
        2,
        drafter,
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", drafter)
    revision = Revision.objects.get(anchor=measure.anchor)
    assert revision.fields["body"] == measure.body and revision.author == drafter
    # The words it wrote are the leader's: the revision says whose (a redline names them).
    assert revision.suggestion == suggestion
    assert AuditEvent.objects.filter(action="suggestion_accept").count() == 1


@pytest.mark.django_db
def test_rejecting_keeps_the_text_and_the_suggestion_in_the_history(
    speech, measure, leader, drafter
):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    suggestion.reject(drafter)
    assert body_of(measure) == BODY
    stored = Suggestion.objects.get()
    assert (stored.status, stored.decided_by, stored.proposed) == (
        "rejected",
        drafter,
        BODY.replace("学习", "理论学习"),
    )
    with pytest.raises(SuggestionRefused, match="已拒绝"):
        stored.accept(drafter)
    assert body_of(measure) == BODY


@pytest.mark.django_db
def test_a_suggestion_made_on_older_text_is_rebased(speech, measure, leader, drafter):
    suggestion = propose(speech, measure, leader, BODY.replace("成效", "实际成效"))
    # The drafter typed on in another passage after the leader's page loaded.
    type_on(measure, drafter, BODY.replace("学习", "理论学习"))
    current = body_of(measure)
    assert suggestion.rebased(current).text == "第一句讲理论学习。第二句讲落实。第三句讲实际成效。"
    suggestion.accept(drafter)
    assert body_of(measure) == "第一句讲理论学习。第二句讲落实。第三句讲实际成效。"
    typed, accepted = Revision.objects.filter(anchor=measure.anchor).order_by("pk")
    assert (typed.suggestion, accepted.suggestion) == (None, suggestion)


@pytest.mark.django_db
def test_a_stale_suggestion_writes_nothing_and_stays_open(speech, measure, leader, drafter):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    type_on(measure, drafter, BODY.replace("学习", "业务学习"))
    assert suggestion.rebased(body_of(measure)).stale
    with pytest.raises(SuggestionRefused, match="已过期"):
        suggestion.accept(drafter)
    assert body_of(measure) == BODY.replace("学习", "业务学习")
    assert Suggestion.objects.get().is_open
    suggestion.reject(drafter)
    assert Suggestion.objects.get().status == "rejected"


@pytest.mark.django_db
def test_two_suggestions_on_one_field(speech, measure, leader, second_leader, drafter):
    # Different passages: accepting one re-bases the other; both end up in the text.
    first = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    second = propose(speech, measure, second_leader, BODY.replace("成效", "实效"))
    first.accept(drafter)
    second.accept(drafter)
    assert body_of(measure) == "第一句讲理论学习。第二句讲落实。第三句讲实效。"


@pytest.mark.django_db
def test_conflicting_suggestions_on_one_passage(speech, measure, leader, second_leader, drafter):
    first = propose(speech, measure, leader, BODY.replace("落实", "抓落实"))
    second = propose(speech, measure, second_leader, BODY.replace("落实", "促落实"))
    first.accept(drafter)
    assert second.rebased(body_of(measure)).stale
    with pytest.raises(SuggestionRefused, match="已过期"):
        second.accept(drafter)
    assert body_of(measure) == BODY.replace("落实", "抓落实")


@pytest.mark.django_db
def test_all_of_one_person(speech, measure, leader, second_leader, drafter):
    lead = propose(speech, measure, leader, "措施领句改过。", base=measure.lead, field="lead")
    body = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    other = propose(speech, measure, second_leader, BODY.replace("学习", "业务学习"))
    accepted, refused = Suggestion.accept_all(speech.pk, lead.author_key, drafter)
    assert {s.pk for s in accepted} == {lead.pk, body.pk} and refused == []
    measure.refresh_from_db()
    assert (measure.lead, measure.body) == ("措施领句改过。", BODY.replace("学习", "理论学习"))
    # The other person's touched the same passage: now stale, still open, not accepted.
    accepted, refused = Suggestion.accept_all(speech.pk, other.author_key, drafter)
    assert accepted == [] and [s.pk for s, _ in refused] == [other.pk]
    assert "已过期" in refused[0][1]
    assert Suggestion.objects.get(pk=other.pk).is_open


@pytest.mark.django_db
def test_a_suggestion_from_a_file_by_an_unknown_name(speech, measure, drafter):
    suggestion = propose(
        speech, measure, None, BODY + "补充。", author_name="张处长", source="word"
    )
    assert suggestion.author_label == "张处长" and suggestion.author_key == "name:张处长"
    accepted, _ = Suggestion.accept_all(speech.pk, "name:张处长", drafter)
    assert [s.pk for s in accepted] == [suggestion.pk]


@pytest.mark.django_db
def test_only_its_author_withdraws_it(speech, measure, leader, second_leader):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    with pytest.raises(SuggestionRefused, match="本人"):
        suggestion.withdraw(second_leader)
    suggestion.withdraw(leader)
    assert Suggestion.objects.get().status == "withdrawn"


@pytest.mark.django_db
def test_approving_with_open_suggestions_needs_confirming(speech, measure, drafter, leader):
    propose(speech, measure, leader, BODY + "补充。")
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    with pytest.raises(workflow.TransitionRefused, match="1 条修改建议未处理"):
        speech.take_action("approve", leader, {workflow.REVIEWER}, "")
    assert Speech.objects.get(pk=speech.pk).status == "submitted"
    speech.take_action("approve", leader, {workflow.REVIEWER}, "", confirmed=True)
    assert Speech.objects.get(pk=speech.pk).status == "approved"


@pytest.mark.django_db
def test_suggestions_and_replies_change_the_pages_stamp(speech, measure, leader, drafter):
    before = Speech.objects.get_stamped(speech.pk).page_stamp
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    made = Speech.objects.get_stamped(speech.pk).page_stamp
    SuggestionReply.objects.create(suggestion=suggestion, author=drafter, text="同意，稍后修改。")
    replied = Speech.objects.get_stamped(speech.pk).page_stamp
    assert len({before, made, replied}) == 3


@pytest.mark.django_db
def test_the_admin_lists_them_and_changes_none(client, speech, measure, leader):
    from django.urls import reverse

    propose(speech, measure, leader, BODY + "补充。")
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:drafts_suggestion_changelist"))
    assert page.status_code == 200 and "第二部分 措施一是 正文" in page.content.decode()
    change = client.get(
        reverse("admin:drafts_suggestion_change", args=[Suggestion.objects.get().pk])
    )
    assert 'name="proposed"' not in change.content.decode()
