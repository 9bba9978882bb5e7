"""Read a ``backup_speeches`` directory back into a database that has no speeches.

Every file is read and checked before anything is written, and everything is written in
one transaction: a bad file leaves the database as it was. Units are created by name;
people are found by username, and a username the database lacks becomes an inactive
account without a password, in the agency (机构) of the first speech that names it.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from drafts import backup
from drafts.budgets import Budgets, configured
from drafts.importing import speech_errors
from drafts.models import (
    Agency,
    Comment,
    Membership,
    Revision,
    Snapshot,
    Speech,
    Suggestion,
    SuggestionReply,
    Transition,
)


class Command(BaseCommand):
    help = "从 backup_speeches 生成的目录恢复全部讲话稿；只能恢复到还没有讲话稿的数据库。"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="备份目录")

    def handle(self, *args, **options):
        existing = Speech.objects.count()
        if existing:
            raise CommandError(
                f"数据库中已有 {existing} 篇讲话稿，不能恢复：恢复只能在空数据库上进行，"
                "以免同一篇讲话稿出现两份。"
            )
        backups = read_directory(Path(options["dir"]))
        with transaction.atomic():
            created = create_missing_users(backups)
            for entry in backups:
                restore(entry)
        agencies = len({entry.agency for entry in backups})
        self.stdout.write(f"已恢复 {len(backups)} 篇讲话稿，共 {agencies} 个机构。")
        if created:
            self.stdout.write(
                f"已新建停用账号：{'、'.join(created)}（备份中提到，本数据库中没有）。"
                "这些账号没有密码也没有角色，请管理员核对后启用、设置密码并分配角色。"
            )


def read_directory(directory: Path) -> list[backup.SpeechBackup]:
    """Every backup file of ``directory`` in file-name order, checked; CommandError on any fault."""
    if not directory.is_dir():
        raise CommandError(f"找不到备份目录 {directory}。")
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise CommandError(f"目录 {directory} 中没有 .json 备份文件。")
    backups = []
    budgets = configured()
    seen_ids: set[str] = set()
    for path in paths:
        try:
            if not path.is_file():
                raise backup.BackupFormatError("不是普通文件。")
            entry = backup.loads(path.read_text(encoding="utf-8"), budgets)
            check_storable(entry, budgets)
        except UnicodeDecodeError:
            raise CommandError(f"{path.name}：不是 UTF-8 编码的文本文件。") from None
        except OSError as error:
            raise CommandError(f"{path.name}：无法读取（{error.strerror}）。") from None
        except backup.BackupFormatError as error:
            raise CommandError(f"{path.name}：{error}") from None
        ids = {item.id for items in backup.item_lists(entry.speech).values() for item in items}
        if ids & seen_ids:
            raise CommandError(f"{path.name}：条目编号与其他备份文件重复，是否放入了两份备份？")
        seen_ids |= ids
        backups.append(entry)
    return backups


def check_storable(entry: backup.SpeechBackup, budgets: Budgets) -> None:
    """Refuse what the database would refuse, before anything is written: a text too
    long for its column, a number out of its column's range (PostgreSQL refuses both;
    SQLite would store them), a speech past the budgets of an import."""
    errors = speech_errors(entry.speech, budgets)
    if errors:
        raise backup.BackupFormatError("".join(errors))
    checks = [
        (Agency, "name", entry.agency, "unit"),
        (Speech, "pace", entry.pace, "pace"),
        (Speech, "target_minutes", entry.target_minutes, "target_minutes"),
        *(
            (get_user_model(), "username", name, "用户名")
            for name in sorted(backup.usernames(entry))
        ),
    ]
    for index, record in enumerate(entry.comments):
        for reply, item in enumerate((record, *record.replies)):
            where = f"comments[{index}]" + (f".replies[{reply - 1}]" if reply else "")
            checks.append((Comment, "anchor", item.anchor, f"{where}.anchor"))
    for index, step in enumerate(entry.timeline):
        checks.append((Transition, "action", step.action, f"timeline[{index}].action"))
    for index, revision in enumerate(entry.revisions):
        checks.append((Revision, "anchor", revision.anchor, f"revisions[{index}].anchor"))
        checks.append((Revision, "label", revision.label, f"revisions[{index}].label"))
    for index, record in enumerate(entry.suggestions):
        where = f"suggestions[{index}]"
        checks += [
            (Suggestion, "anchor", record.anchor, f"{where}.anchor"),
            (Suggestion, "field", record.field, f"{where}.field"),
            (Suggestion, "label", record.label, f"{where}.label"),
            (Suggestion, "author_name", record.author_name, f"{where}.author_name"),
        ]
    for model, name, value, where in checks:
        field = model._meta.get_field(name)
        if value is None and field.null:
            continue
        try:
            field.run_validators(value)
        except ValidationError as error:
            raise backup.BackupFormatError(f"字段 “{where}”：{'；'.join(error.messages)}") from None


def create_missing_users(backups: list[backup.SpeechBackup]) -> list[str]:
    """Create the usernames the database lacks, inactive and without a password."""
    users = get_user_model().objects
    agencies: dict[str, str] = {}
    for entry in backups:
        for name in sorted(backup.usernames(entry)):
            agencies.setdefault(name, entry.agency)
    existing = set(users.filter(username__in=agencies).values_list("username", flat=True))
    created = sorted(set(agencies) - existing)
    for name in created:
        user = users.model(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
        agency, _ = Agency.objects.get_or_create(name=agencies[name])
        Membership.objects.create(user=user, agency=agency)
    return created


def restore(entry: backup.SpeechBackup) -> Speech:
    """Store one backup as a speech with its item ids, comments, timeline and revisions."""
    people = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=backup.usernames(entry))
    }
    agency, _ = Agency.objects.get_or_create(name=entry.agency)
    speech = Speech.create_from_structure(
        entry.speech, people[entry.owner], agency=agency, keep_ids=True
    )
    # update() leaves auto_now alone, so the stored times are the backup's.
    Speech.objects.filter(pk=speech.pk).update(
        status=entry.status,
        pace=entry.pace,
        target_minutes=entry.target_minutes,
        updated_by=people.get(entry.updated_by),
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )
    for record in entry.comments:
        parent = restore_comment(speech, record, people, parent=None)
        for reply in record.replies:
            restore_comment(speech, reply, people, parent=parent)
    for step in entry.timeline:
        transition = Transition.objects.create(
            speech=speech,
            action=step.action,
            from_status=step.from_status,
            to_status=step.to_status,
            actor=people[step.actor],
            note=step.note,
            created_at=step.created_at,
        )
        if step.snapshot is not None:
            stored = (
                {"document": step.snapshot["speech"], "item_ids": step.snapshot["item_ids"]}
                if isinstance(step.snapshot, dict)
                else {"units": step.snapshot}
            )
            Snapshot.objects.create(
                speech=speech, transition=transition, created_at=step.created_at, **stored
            )
    suggestions = []
    for record in entry.suggestions:
        suggestion = Suggestion.objects.create(
            speech=speech,
            anchor=record.anchor,
            field=record.field,
            label=record.label,
            author=people.get(record.author),
            author_name=record.author_name,
            base=record.base,
            proposed=record.proposed,
            reason=record.reason,
            source=record.source,
            status=record.status,
            created_at=record.created_at,
            decided_by=people.get(record.decided_by),
            decided_at=record.decided_at,
        )
        SuggestionReply.objects.bulk_create(
            SuggestionReply(
                suggestion=suggestion,
                author=people[reply.author],
                text=reply.text,
                created_at=reply.created_at,
            )
            for reply in record.replies
        )
        suggestions.append(suggestion)
    # After the suggestions: a revision of an accepted one links it (``backup.py``).
    Revision.objects.bulk_create(
        Revision(
            speech=speech,
            anchor=revision.anchor,
            label=revision.label,
            fields=revision.fields,
            author=people[revision.author],
            created_at=revision.created_at,
            suggestion=None if revision.suggestion is None else suggestions[revision.suggestion],
        )
        for revision in entry.revisions
    )
    return speech


def restore_comment(speech: Speech, record: backup.CommentRecord, people, *, parent) -> Comment:
    return Comment.objects.create(
        speech=speech,
        parent=parent,
        anchor=record.anchor,
        author=people[record.author],
        text=record.text,
        created_at=record.created_at,
        resolved_at=record.resolved_at,
        resolved_by=people.get(record.resolved_by),
        field=record.field,
        start=record.start,
        quote=record.quote,
        passage_lost=record.passage_lost,
    )
