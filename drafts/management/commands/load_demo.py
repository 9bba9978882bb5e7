"""Demo accounts and a demo speech, so a new user can try everything at once.

Idempotent: accounts are created once (their passwords reset to the printed ones), and
the demo speech is added only when no speech with its title exists.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.demo import DEMO_TITLE, demo_speech
from drafts.models import Agency, Membership, Speech

DEMO_AGENCY = "市统计局"
# Local demo only: `make run` prints them. A deployment creates its own accounts.
DEMO_ACCOUNTS = [
    ("drafter", "drafter-demo-2026", "起草人员", DRAFTER_GROUP),
    ("leader", "leader-demo-2026", "审核领导", REVIEWER_GROUP),
    ("admin", "admin-demo-2026", "管理员", None),
]


class Command(BaseCommand):
    help = "创建演示账号（drafter、leader、admin）和一篇演示讲话稿；可重复运行。"

    @transaction.atomic
    def handle(self, *args, **options):
        users = {}
        agency, _ = Agency.objects.get_or_create(name=DEMO_AGENCY)
        for username, password, name, group in DEMO_ACCOUNTS:
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.first_name = name
            # No group means the administrator: a superuser has every role.
            user.is_staff = user.is_superuser = group is None
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            Membership.objects.update_or_create(user=user, defaults={"agency": agency})
            users[username] = user
        if not Speech.objects.filter(title=DEMO_TITLE).exists():
            Speech.create_from_structure(demo_speech(), users["drafter"])
            self.stdout.write("已添加演示讲话稿。")
        self.stdout.write("演示账号（用户名 / 密码）：")
        for username, password, name, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {name}: {username} / {password}")
