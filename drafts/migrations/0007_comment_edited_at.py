import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("drafts", "0006_audit_withdraw")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="edited_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="修改时间"
            ),
            preserve_default=False,
        ),
    ]
