"""Read a speech from a file into a new speech; the last line printed is its id.

With ``--review-of ID`` the file is a reviewed Word copy of speech ID instead: its 修订
and 批注 are recorded on that speech (``review_import``) and the report is printed.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from drafts.access import may_read
from drafts.budgets import Budgets, configured
from drafts.importing import import_speech
from drafts.models import Speech
from drafts.reading import WORD_SUFFIXES, ImportRefused, check_file_size, read_upload
from drafts.review_import import ReviewImport, import_review


class Command(BaseCommand):
    help = (
        "导入讲话稿文件（.txt、.docx 或 .json；Word 的 .docm、.dotx、.dotm 按 .docx 读），"
        "最后一行输出新讲话稿的编号。"
        "加 --review-of 编号：导入该讲话稿在 Word 中审阅过的 .docx，把修订记为修改建议、"
        "批注记为批注，并列出无法对应的改动。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--owner", help="归属用户名（默认第一个超级用户）")
        parser.add_argument(
            "--review-of", type=int, metavar="ID", help="审阅稿所属讲话稿的编号（.docx）"
        )
        parser.add_argument("--user", help="导入审阅稿的用户名（默认讲话稿的创建人）")

    def handle(self, *args, **options):
        if options["review_of"] is not None:
            self.import_review(Path(options["file"]), options["review_of"], options["user"])
            return
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

    def import_review(self, path: Path, speech_id: int, username: str | None) -> None:
        speech = Speech.objects.alive().filter(pk=speech_id).first()
        if speech is None:
            raise CommandError(f"没有编号为 {speech_id} 的讲话稿。")
        user = self.find_user(username) if username else speech.owner
        if not may_read(user, speech):
            raise CommandError(
                f"用户 {user.get_username()} 不能查看这篇讲话稿，不能导入它的审阅稿。"
            )
        if path.suffix.lower() not in WORD_SUFFIXES:
            raise CommandError("审阅稿只能是 Word 的 .docx 文件。")
        try:
            report = import_review(speech, read_file(path, configured()), user)
        except ImportRefused as error:
            raise CommandError(error.message) from None
        for line in report_lines(report):
            self.stdout.write(line)

    def find_user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的用户。")
        return user

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


def report_lines(report: ReviewImport) -> list[str]:
    """The report as the command prints it: the version compared against, each
    suggestion and comment of the file (recorded, or noted as already there), each
    change not placed with its texts."""
    lines = [report.base]
    for title, entries in (("修改建议", report.suggestions), ("批注", report.comments)):
        if entries:
            lines.append(f"文件中的{title} {len(entries)} 条：")
        for entry in entries:
            note = f"（{entry.note}）" if entry.note else ""
            kind = "" if entry.kind == title else f"{entry.kind}："
            lines.append(f"  {entry.label}｜{entry.author}｜{kind}{entry.text}{note}")
    if report.not_placed:
        lines.append(f"无法对应 {len(report.not_placed)} 处，请在系统中手动处理：")
    for entry in report.not_placed:
        lines.append(f"  {entry.reason}（{entry.authors}）")
        lines.append(f"    {'批注处' if entry.comment else '原文'}：{entry.old}")
        lines.append(f"    {'批注' if entry.comment else '改为'}：{entry.new}")
    lines.append(f"{report.summary()}。")
    return lines
