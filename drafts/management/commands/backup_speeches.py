"""Write every speech, with its comments, timeline and revisions, to DIR as JSON.

One file a speech, ``speech-<id>.json`` in UTF-8, in the ``speechdraft-backup/1``
format described in ``drafts/backup.py`` and the README. ``restore_speeches DIR`` reads
them back into an empty database. Speeches in the trash (回收站) are left out.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Prefetch

from drafts import backup
from drafts.models import Comment, Revision, Speech, Suggestion, SuggestionReply, Transition


class Command(BaseCommand):
    help = "备份全部讲话稿（含批注、流转记录、修改记录）到目录 DIR，每篇一个 JSON 文件。"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="备份目录（不存在则新建；不能已有 .json 文件）")

    def handle(self, *args, **options):
        directory = Path(options["dir"])
        if directory.is_dir() and any(directory.glob("*.json")):
            raise CommandError(
                f"目录 {directory} 中已有 .json 文件。请换一个空目录，以免新旧备份混在一起。"
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"无法创建目录 {directory}：{error.strerror}") from None
        # One transaction: every file shows the database at one moment.
        with transaction.atomic():
            count = 0
            for speech in speeches_to_back_up():
                path = directory / f"speech-{speech.pk:06d}.json"
                path.write_text(backup.dumps(backup_of(speech)), encoding="utf-8")
                count += 1
        self.stdout.write(f"已备份 {count} 篇讲话稿到 {directory}。")


def speeches_to_back_up():
    """Every speech with what its backup reads, in a fixed number of queries.

    Not those in the trash (回收站): a restore writes live speeches, and one the user
    deleted must not come back to life; the format has no place for the trash either.
    """
    return (
        Speech.objects.alive()
        .with_structure()
        .select_related("agency", "owner", "updated_by")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author", "resolved_by").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "transitions",
                queryset=Transition.objects.select_related("actor", "snapshot").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "revisions",
                queryset=Revision.objects.select_related("author").order_by("created_at", "pk"),
            ),
            Prefetch(
                "suggestions",
                queryset=Suggestion.objects.select_related("author", "decided_by")
                .order_by("created_at", "pk")
                .prefetch_related(
                    Prefetch(
                        "replies",
                        queryset=SuggestionReply.objects.select_related("author").order_by(
                            "created_at", "pk"
                        ),
                    )
                ),
            ),
        )
        .order_by("pk")
    )


def backup_of(speech: Speech) -> backup.SpeechBackup:
    """The stored speech as backup data (people by username)."""
    comments = list(speech.comments.all())
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    suggestions = list(speech.suggestions.all())
    # A revision names the suggestion it accepted by its place in the file's list.
    positions = {suggestion.pk: index for index, suggestion in enumerate(suggestions)}
    return backup.SpeechBackup(
        speech=speech.as_structure(),
        agency=speech.agency.name,
        owner=speech.owner.username,
        updated_by=speech.updated_by.username if speech.updated_by else None,
        status=speech.status,
        pace=speech.pace,
        target_minutes=speech.target_minutes,
        created_at=speech.created_at,
        updated_at=speech.updated_at,
        comments=[
            comment_record(comment, replies.get(comment.pk, []))
            for comment in comments
            if comment.parent_id is None
        ],
        timeline=[
            backup.TransitionRecord(
                action=step.action,
                from_status=step.from_status,
                to_status=step.to_status,
                actor=step.actor.username,
                note=step.note,
                created_at=step.created_at,
                snapshot=snapshot_record(step.snapshot) if hasattr(step, "snapshot") else None,
            )
            for step in speech.transitions.all()
        ],
        revisions=[
            backup.RevisionRecord(
                anchor=revision.anchor,
                label=revision.label,
                fields=revision.fields,
                author=revision.author.username,
                created_at=revision.created_at,
                suggestion=positions.get(revision.suggestion_id),
            )
            for revision in speech.revisions.all()
        ],
        suggestions=[suggestion_record(s) for s in suggestions],
    )


def suggestion_record(suggestion: Suggestion) -> backup.SuggestionRecord:
    return backup.SuggestionRecord(
        anchor=suggestion.anchor,
        field=suggestion.field,
        label=suggestion.label,
        author=suggestion.author.username if suggestion.author else None,
        author_name=suggestion.author_name,
        base=suggestion.base,
        proposed=suggestion.proposed,
        reason=suggestion.reason,
        source=suggestion.source,
        status=suggestion.status,
        created_at=suggestion.created_at,
        decided_by=suggestion.decided_by.username if suggestion.decided_by else None,
        decided_at=suggestion.decided_at,
        replies=[
            backup.ReplyRecord(reply.author.username, reply.text, reply.created_at)
            for reply in suggestion.replies.all()
        ],
    )


def comment_record(comment: Comment, replies: list[Comment]) -> backup.CommentRecord:
    return backup.CommentRecord(
        anchor=comment.anchor,
        author=comment.author.username,
        text=comment.text,
        created_at=comment.created_at,
        resolved_at=comment.resolved_at,
        resolved_by=comment.resolved_by.username if comment.resolved_by else None,
        replies=[comment_record(reply, []) for reply in replies],
        field=comment.field,
        start=comment.start,
        quote=comment.quote,
        passage_lost=comment.passage_lost,
    )


def snapshot_record(snapshot) -> dict | list[dict]:
    """A version as the backup keeps it: its document and item ids, or an old version's
    text units (it has nothing else)."""
    if snapshot.has_document:
        return {"speech": snapshot.document, "item_ids": snapshot.item_ids}
    return snapshot.units or []
