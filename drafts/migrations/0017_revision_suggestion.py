import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0016_ignoredfinding"),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="suggestion",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="drafts.suggestion",
                verbose_name="采纳的修改建议",
            ),
        ),
    ]
