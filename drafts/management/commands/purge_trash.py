"""Empty the trash (回收站) of what was deleted more than N days ago, for good.

Run it daily (cron, a systemd timer). A purged speech goes with everything it holds;
a purged item leaves its comments (resolved by the delete) and revisions with the
speech, as a delete did before there was a trash. Every purge is in the audit log.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from drafts import audit
from drafts.models import AuditEvent, DeletedItem, Speech

# Who the audit log names for a purge: nobody logged in, the scheduled command.
ACTOR = "purge_trash"


class Command(BaseCommand):
    help = "清除回收站中删除超过 N 天的讲话稿和条目（默认 N 为设置 TRASH_DAYS），并输出清除的数量。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"清除删除超过多少天的内容（默认 {settings.TRASH_DAYS}，即 DJANGO_TRASH_DAYS）",
        )

    def handle(self, *args, **options):
        days = settings.TRASH_DAYS if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError(f"--days 不能为负数（收到 {days}）。")
        cutoff = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            # Items first: those of a speech purged below would go with it uncounted.
            items = list(
                DeletedItem.objects.filter(deleted_at__lt=cutoff).select_related("part__speech")
            )
            for entry in items:
                record(entry.part.speech, f"清除回收站中的{entry.label}")
                entry.delete()
            speeches = list(Speech.objects.in_trash().filter(deleted_at__lt=cutoff))
            for speech in speeches:
                record(speech, f"清除回收站中的《{speech}》")
                speech.delete()
        self.stdout.write(
            f"已清除回收站中删除超过 {days} 天的 {len(speeches)} 篇讲话稿、{len(items)} 个条目。"
        )


def record(speech: Speech, detail: str) -> None:
    audit.record(None, AuditEvent.Action.PURGE, speech=speech, detail=detail, username=ACTOR)
