"""Write a speech to a file: JSON (the lossless backup format) or plain text."""

from django.core.management.base import BaseCommand, CommandError

from drafts import speech_json
from drafts.access import with_structure
from drafts.assembly import assemble, plain_text
from drafts.models import Speech


class Command(BaseCommand):
    help = "导出讲话稿：--format json|txt，-o 输出文件（省略则写到标准输出）。"

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="讲话稿编号")
        parser.add_argument("--format", choices=["json", "txt"], default="json")
        parser.add_argument("-o", "--output", help="输出文件路径")

    def handle(self, *args, **options):
        speech = with_structure(Speech.objects.filter(pk=options["id"])).first()
        if speech is None:
            raise CommandError(f"没有编号为 {options['id']} 的讲话稿。")
        data = speech.as_structure()
        if options["format"] == "json":
            content = speech_json.dumps(data).encode("utf-8")
        else:
            content = plain_text(assemble(data)).encode("utf-8")
        if options["output"]:
            with open(options["output"], "wb") as file:
                file.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
