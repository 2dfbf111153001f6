import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import outreach.models.registrations


class Migration(migrations.Migration):
    """The sign-ups' history is read one sign-up's at a time (by ``id``):
    its indexes on the code, event, user and date go."""

    dependencies = [
        ("outreach", "0016_registration_code_constraint_no_event_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalregistration",
            name="code",
            field=models.CharField(
                default=outreach.models.registrations.new_registration_code,
                editable=False,
                max_length=32,
                verbose_name="报名码",
            ),
        ),
        migrations.AlterField(
            model_name="historicalregistration",
            name="event",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="outreach.event",
                verbose_name="科普活动",
            ),
        ),
        migrations.AlterField(
            model_name="historicalregistration",
            name="history_date",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="historicalregistration",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="用户账户",
            ),
        ),
    ]
