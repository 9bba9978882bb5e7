import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0015_comment_passage"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IgnoredFinding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.TextField(verbose_name="校对问题")),
                ("digest", models.CharField(editable=False, max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
                (
                    "ignored_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="忽略人",
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ignored_findings",
                        to="drafts.speech",
                    ),
                ),
            ],
            options={
                "verbose_name": "已忽略的校对问题",
                "verbose_name_plural": "已忽略的校对问题",
                "constraints": [
                    models.UniqueConstraint(fields=("speech", "digest"), name="ignored_finding_unique")
                ],
            },
        ),
    ]
