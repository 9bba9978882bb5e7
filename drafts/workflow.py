"""The review cycle: which action moves a speech from which state, and who may take it.

起草中 → 待审核 (submit, with a note) → 已退回 (return, with a reason) or 已审定
(approve). A returned speech is edited and submitted again; an approved one is read-only
until a reviewer reopens it, which starts a new round. Plain rules, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
APPROVED = "approved"

DRAFTER = "drafter"
REVIEWER = "reviewer"

# Only these states may be edited; a submitted speech waits for its reviewer.
EDITABLE = (DRAFT, RETURNED)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    role: str
    note_required: bool
    note_label: str


ACTIONS = {
    action.name: action
    for action in (
        Action("submit", "提交审核", (DRAFT, RETURNED), SUBMITTED, DRAFTER, True, "提交说明"),
        # A drafter who spots a mistake after submitting takes the speech back to edit.
        Action("withdraw", "撤回提交", (SUBMITTED,), DRAFT, DRAFTER, False, "撤回说明"),
        Action("return", "退回修改", (SUBMITTED,), RETURNED, REVIEWER, True, "退回理由"),
        Action("approve", "审定通过", (SUBMITTED,), APPROVED, REVIEWER, False, "审定意见"),
        Action("reopen", "重新打开", (APPROVED,), DRAFT, REVIEWER, True, "重新打开的原因"),
    )
}

STATE_LABELS = {DRAFT: "起草中", SUBMITTED: "待审核", RETURNED: "已退回", APPROVED: "已审定"}
ROLE_LABELS = {DRAFTER: "起草人员", REVIEWER: "审核领导"}


class TransitionRefused(Exception):
    """The action is not allowed now or not to this user; the message is for users."""


def available_actions(status: str, roles: set[str]) -> list[Action]:
    """The actions a user with ``roles`` can take on a speech in ``status``.

    >>> [a.name for a in available_actions(SUBMITTED, {REVIEWER})]
    ['return', 'approve']
    """
    return [a for a in ACTIONS.values() if status in a.sources and a.role in roles]


def check_transition(name: str, status: str, roles: set[str], note: str) -> str:
    """The state the action leads to, or :class:`TransitionRefused` with the reason.

    >>> check_transition("submit", DRAFT, {DRAFTER}, "请审核")
    'submitted'
    """
    action = ACTIONS.get(name)
    if action is None:
        raise TransitionRefused("没有这个操作。")
    if action.role not in roles:
        raise TransitionRefused(f"只有{ROLE_LABELS[action.role]}可以{action.label}。")
    if status not in action.sources:
        raise TransitionRefused(f"讲话稿当前为“{STATE_LABELS[status]}”，不能{action.label}。")
    if action.note_required and not note.strip():
        raise TransitionRefused(f"请填写{action.note_label}。")
    return action.target


def is_editable(status: str) -> bool:
    """Drafts and returned speeches can be edited; submitted and approved ones cannot."""
    return status in EDITABLE
