# The organisation a user and a speech belong to (机构) was called Unit, the word the
# code also uses for one editable piece of a speech: it is Agency now (issue 11).

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0010_presence"),
    ]

    operations = [
        migrations.RenameModel(old_name="Unit", new_name="Agency"),
        migrations.RenameField(model_name="membership", old_name="unit", new_name="agency"),
        migrations.RenameField(model_name="speech", old_name="unit", new_name="agency"),
        migrations.AlterField(
            model_name="membership",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="drafts.agency",
                verbose_name="机构",
            ),
        ),
    ]
