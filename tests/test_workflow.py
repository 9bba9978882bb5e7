import pytest

from drafts import workflow
from drafts.workflow import (
    APPROVED,
    DRAFT,
    DRAFTER,
    RETURNED,
    REVIEWER,
    SUBMITTED,
    TransitionRefused,
    available_actions,
    check_transition,
)

STATES = [DRAFT, SUBMITTED, RETURNED, APPROVED]
ROLES = [{DRAFTER}, {REVIEWER}, set()]
ALLOWED = {
    ("submit", DRAFT, DRAFTER): SUBMITTED,
    ("submit", RETURNED, DRAFTER): SUBMITTED,
    ("return", SUBMITTED, REVIEWER): RETURNED,
    ("approve", SUBMITTED, REVIEWER): APPROVED,
    ("reopen", APPROVED, REVIEWER): DRAFT,
    ("withdraw", SUBMITTED, DRAFTER): DRAFT,
}


@pytest.mark.parametrize("name", list(workflow.ACTIONS))
@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("roles", ROLES, ids=["drafter", "reviewer", "nobody"])
def test_every_action_in_every_state_for_every_role(name, status, roles):
    role = next(iter(roles), None)
    expected = ALLOWED.get((name, status, role))
    if expected:
        assert check_transition(name, status, roles, "说明") == expected
    else:
        with pytest.raises(TransitionRefused):
            check_transition(name, status, roles, "说明")


def test_refusals_say_why_in_chinese():
    with pytest.raises(TransitionRefused, match="只有审核领导可以审定通过"):
        check_transition("approve", SUBMITTED, {DRAFTER}, "")
    with pytest.raises(TransitionRefused, match="当前为“已审定”，不能提交审核"):
        check_transition("submit", APPROVED, {DRAFTER}, "说明")
    with pytest.raises(TransitionRefused, match="请填写退回理由"):
        check_transition("return", SUBMITTED, {REVIEWER}, "  ")
    with pytest.raises(TransitionRefused, match="没有这个操作"):
        check_transition("publish", DRAFT, {DRAFTER}, "")


def test_approval_needs_no_note_but_submission_does():
    assert check_transition("approve", SUBMITTED, {REVIEWER}, "") == APPROVED
    with pytest.raises(TransitionRefused, match="请填写提交说明"):
        check_transition("submit", DRAFT, {DRAFTER}, "")


def test_available_actions_by_state_and_role():
    assert [a.name for a in available_actions(DRAFT, {DRAFTER, REVIEWER})] == ["submit"]
    assert [a.name for a in available_actions(APPROVED, {REVIEWER})] == ["reopen"]
    assert [a.name for a in available_actions(SUBMITTED, {DRAFTER})] == ["withdraw"]


def test_only_drafts_and_returned_speeches_are_editable():
    assert [s for s in STATES if workflow.is_editable(s)] == [DRAFT, RETURNED]
