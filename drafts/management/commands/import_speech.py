"""Read a speech from a file into a new speech; the last line printed is its id."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from drafts import speech_json
from drafts.models import Speech


class Command(BaseCommand):
    help = "导入讲话稿文件（.json），最后一行输出新讲话稿的编号。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--owner", help="归属用户名（默认第一个超级用户）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        owner = self.find_owner(options["owner"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件：{error.strerror}") from None
        try:
            data = speech_json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise CommandError("JSON 文件应为 UTF-8 编码。") from None
        except speech_json.SpeechFormatError as error:
            raise CommandError(str(error)) from None
        speech = Speech.create_from_structure(data, owner)
        self.stdout.write(str(speech.pk))

    def find_owner(self, username):
        users = get_user_model().objects
        if username:
            owner = users.filter(username=username).first()
            if owner is None:
                raise CommandError(f"没有用户名为 {username} 的用户。")
            return owner
        owner = users.filter(is_superuser=True).order_by("pk").first()
        if owner is None:
            raise CommandError("请用 --owner 指定归属用户（系统中还没有超级用户）。")
        return owner
