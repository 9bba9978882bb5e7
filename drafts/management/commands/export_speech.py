"""Write a speech to a file: JSON (the lossless backup format), plain text or Word."""

from django.core.management.base import BaseCommand, CommandError

from drafts import speech_json
from drafts.assembly import assemble, plain_text
from drafts.docx_export import ExportOptions, render_docx
from drafts.models import Speech


class Command(BaseCommand):
    help = (
        "导出讲话稿：--format json|txt|docx（docx 可加 --large-print 导出大字版），"
        "-o 输出文件（省略则写到标准输出）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="讲话稿编号")
        parser.add_argument("--format", choices=["json", "txt", "docx"], default="json")
        parser.add_argument("--large-print", action="store_true", help="Word 大字版（仅 docx）")
        parser.add_argument("-o", "--output", help="输出文件路径")

    def handle(self, *args, **options):
        speech = Speech.objects.with_structure().filter(pk=options["id"]).first()
        if speech is None:
            raise CommandError(f"没有编号为 {options['id']} 的讲话稿。")
        if options["format"] == "docx" and not options["output"]:
            raise CommandError("Word 文件不能写到标准输出，请用 -o 指定输出文件。")
        data = speech.as_structure()
        if options["format"] == "json":
            content = speech_json.dumps(data).encode("utf-8")
        elif options["format"] == "docx":
            export = ExportOptions(
                author=speech.organization,
                status=speech.get_status_display(),
                approved=speech.status == Speech.Status.APPROVED,
                large_print=options["large_print"],
            )
            content = render_docx(assemble(data), export)
        else:
            content = plain_text(assemble(data)).encode("utf-8")
        if options["output"]:
            with open(options["output"], "wb") as file:
                file.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
