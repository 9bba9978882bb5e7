import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Speeches stored before units existed go to one unit, which an administrator can rename.
DEFAULT_UNIT = "本单位"


def assign_default_unit(apps, schema_editor):
    Speech = apps.get_model("drafts", "Speech")
    if Speech.objects.filter(unit__isnull=True).exists():
        Unit = apps.get_model("drafts", "Unit")
        unit, _ = Unit.objects.get_or_create(name=DEFAULT_UNIT)
        Speech.objects.filter(unit__isnull=True).update(unit=unit)


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0004_speech_target_minutes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Unit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="名称")),
            ],
            options={"verbose_name": "机构", "verbose_name_plural": "机构", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="members", to="drafts.unit")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="membership", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "机构成员", "verbose_name_plural": "机构成员"},
        ),
        migrations.AddField(
            model_name="speech",
            name="unit",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="speeches", to="drafts.unit", verbose_name="机构"),
        ),
        migrations.RunPython(assign_default_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="speech",
            name="unit",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="speeches", to="drafts.unit", verbose_name="机构"),
        ),
    ]
