"""Read a speech from a file into a new speech; the last line printed is its id."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from drafts.budgets import Budgets, configured
from drafts.importing import import_speech
from drafts.reading import ImportRefused, check_file_size, read_upload


class Command(BaseCommand):
    help = (
        "导入讲话稿文件（.txt、.docx 或 .json；Word 的 .docm、.dotx、.dotm 按 .docx 读），"
        "最后一行输出新讲话稿的编号。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--owner", help="归属用户名（默认第一个超级用户）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        owner = self.find_owner(options["owner"])
        budgets = configured()
        # .txt and .docx are structured by the parser; .json is read as is (reading.py).
        try:
            content = read_file(path, budgets)
            result = import_speech(read_upload(path.name, content, budgets), owner, budgets)
        except ImportRefused as error:
            raise CommandError(error.message) from None
        except PermissionDenied as refusal:
            raise CommandError(str(refusal)) from None
        for finding in result.findings:
            where = f"{finding.where}：" if finding.where else ""
            self.stdout.write(f"提示：{where}{finding.message}")
        self.stdout.write(f"已导入：{result.counts.summary()}。")
        self.stdout.write(str(result.speech.pk))

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


def read_file(path: Path, budgets: Budgets) -> bytes:
    """The file's bytes, within ``upload_bytes``: a regular file only (a FIFO or a
    device such as /dev/zero would block or never end), and read with a cap, since a
    file can grow while it is read."""
    try:
        if not path.exists():
            raise ImportRefused(f"找不到文件 {path}。")
        if not path.is_file():
            raise ImportRefused(f"{path} 不是普通文件，无法导入。")
        check_file_size(path.stat().st_size, budgets)
        with path.open("rb") as stream:
            content = stream.read(budgets.upload_bytes + 1)
    except OSError as error:
        raise ImportRefused(f"无法读取文件：{error.strerror}") from None
    check_file_size(len(content), budgets)
    return content
