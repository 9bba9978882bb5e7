"""Write a speech to a file: JSON (the lossless backup format), plain text or Word."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from drafts import speech_json
from drafts.access import user_name
from drafts.assembly import assemble, plain_text
from drafts.budgets import configured
from drafts.docx_export import ExportOptions, render_docx
from drafts.export_origin import origin_of
from drafts.management.commands.import_speech import read_file
from drafts.models import Speech
from drafts.reading import ImportRefused
from drafts.review_export import review_docx
from drafts.versions import VersionRefused, is_snapshot_reference, snapshot_for


class Command(BaseCommand):
    help = (
        "导出讲话稿：--format json|txt|docx（docx 可加 --large-print 导出大字版），"
        "-o 输出文件（省略则写到标准输出）；--changes-from 版本 导出从该版本到现在的修订稿"
        "（Word 修订，仅 docx）：版本为 speechdraft/1 JSON 文件、submitted / returned / "
        "approved（最近一次提交、退回、审定时的版本）或版本编号；修订稿含未处理的修改建议"
        "（Word 修订，按建议人）和未解决的批注（Word 批注）。--review 导出现在的文字并附上"
        "这些建议和批注。"
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="讲话稿编号")
        parser.add_argument("--format", choices=["json", "txt", "docx"], default="json")
        parser.add_argument("--large-print", action="store_true", help="Word 大字版（仅 docx）")
        parser.add_argument("-o", "--output", help="输出文件路径")
        parser.add_argument(
            "--changes-from",
            metavar="REF",
            help="修订稿的旧版本：JSON 文件、submitted、returned、approved 或版本编号",
        )
        parser.add_argument(
            "--review",
            action="store_true",
            help="附上未处理的修改建议（Word 修订）和未解决的批注（Word 批注，仅 docx）",
        )

    def handle(self, *args, **options):
        speech = Speech.objects.with_structure().filter(pk=options["id"]).first()
        if speech is None:
            raise CommandError(f"没有编号为 {options['id']} 的讲话稿。")
        if options["format"] == "docx" and not options["output"]:
            raise CommandError("Word 文件不能写到标准输出，请用 -o 指定输出文件。")
        if options["changes_from"] and options["format"] != "docx":
            raise CommandError("--changes-from 只能用于 --format docx。")
        if options["review"] and options["format"] != "docx":
            raise CommandError("--review 只能用于 --format docx。")
        data = speech.as_structure()
        if options["format"] == "json":
            content = speech_json.dumps(data).encode("utf-8")
        elif options["format"] == "docx":
            export = ExportOptions(
                author=speech.organization,
                status=speech.get_status_display(),
                approved=speech.status == Speech.Status.APPROVED,
                large_print=options["large_print"],
                origin=origin_of(speech.pk, data),
            )
            if options["changes_from"] or options["review"]:
                old = since = None
                if options["changes_from"]:
                    old, since = self.old_version(speech, options["changes_from"])
                made = review_docx(
                    speech,
                    old=old,
                    since=since,
                    author=user_name(speech.updated_by)
                    if speech.updated_by
                    else speech.organization,
                    date=speech.updated_at or timezone.now(),
                    options=export,
                )
                content = made.content
                for line in made.left_out:
                    self.stderr.write(line)
            else:
                content = render_docx(assemble(data), export)
        else:
            content = plain_text(assemble(data)).encode("utf-8")
        if options["output"]:
            with open(options["output"], "wb") as file:
                file.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")

    def old_version(self, speech: Speech, reference: str):
        """The version that ``reference`` names (see ``drafts.versions``) and when it
        was stored: a stored one as a speech with its items' ids, a file as its
        ``speechdraft/1`` document (and None: its saves since are not known)."""
        if is_snapshot_reference(reference):
            try:
                snapshot = snapshot_for(speech, reference)
                return snapshot.as_structure(), snapshot.created_at
            except VersionRefused as refusal:
                raise CommandError(str(refusal)) from None
        budgets = configured()
        try:
            content = read_file(Path(reference), budgets)
            document = speech_json.to_document(speech_json.loads(content.decode("utf-8"), budgets))
            return document, None
        except ImportRefused as error:
            raise CommandError(error.message) from None
        except UnicodeDecodeError:
            raise CommandError(f"{reference} 不是 UTF-8 编码的文字文件。") from None
        except speech_json.SpeechFormatError as error:
            raise CommandError(f"{reference} 不是有效的 speechdraft/1 文件：{error}") from None
