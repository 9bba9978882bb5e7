"""Which stored version a reference names, as a ``speechdraft/1`` document (issue 14).

A reference is ``submitted``, ``returned`` or ``approved`` (the latest snapshot taken at
such a step; for a return from before returns took one, the submission it returned), a snapshot's
id, or, for the command line, a ``speechdraft/1`` file (read by the caller). Refusals
are :class:`VersionRefused` with a Chinese message.
"""

from __future__ import annotations

from .models import Snapshot, Speech

# The reference words and the review step whose snapshot they name.
STEP_OF_REFERENCE = {"submitted": "submit", "returned": "return", "approved": "approve"}
STEP_NAMES = {"submitted": "提交审核", "returned": "退回修改", "approved": "审定通过"}


class VersionRefused(ValueError):
    """The reference names no version that can be read; the message is for users."""


def is_snapshot_reference(reference: str) -> bool:
    """Whether ``reference`` names a snapshot (a step word or an id), not a file.

    >>> [is_snapshot_reference(r) for r in ("approved", "12", "old.json")]
    [True, True, False]
    """
    return reference in STEP_OF_REFERENCE or reference.isdigit()


def snapshot_for(speech: Speech, reference: str) -> Snapshot:
    """The snapshot of ``speech`` that ``reference`` names, with a document."""
    snapshots = speech.snapshots.select_related("transition")
    if reference == "returned" and not snapshots.filter(transition__action="return").exists():
        # Returns before issue 14 took no snapshot: the text returned is the submission
        # it answered, the latest snapshot taken up to the return.
        step = speech.transitions.filter(action="return").order_by("-created_at", "-pk").first()
        snapshot = (
            snapshots.filter(created_at__lte=step.created_at).order_by("-created_at", "-pk").first()
            if step is not None
            else None
        )
        if snapshot is None:
            raise VersionRefused(f"这篇讲话稿还没有“{STEP_NAMES[reference]}”时的版本。")
    elif reference in STEP_OF_REFERENCE:
        snapshot = (
            snapshots.filter(transition__action=STEP_OF_REFERENCE[reference])
            .order_by("-created_at", "-pk")
            .first()
        )
        if snapshot is None:
            raise VersionRefused(f"这篇讲话稿还没有“{STEP_NAMES[reference]}”时的版本。")
    else:
        snapshot = snapshots.filter(pk=int(reference)).first() if len(reference) < 19 else None
        if snapshot is None:
            raise VersionRefused(f"这篇讲话稿没有编号为 {reference[:20]} 的版本。")
    if not snapshot.has_document:
        raise VersionRefused(f"版本 {snapshot.pk} 保存于旧格式，只能对比，不能导出。")
    return snapshot
