import importlib

import django.db.models.deletion
from django.db import migrations, models

import outreach.models.registrations
from outreach.seats_counter import ensure_sqlite_triggers


def _drop_sqlite_triggers(apps, schema_editor):
    # SQLite alters these columns by building the table anew, and renaming
    # the new table fails while a trigger (the seats guard on the event)
    # names the old one: the seats counter's triggers go for the rebuild.
    if schema_editor.connection.vendor != "sqlite":
        return
    seats = importlib.import_module("outreach.migrations.0015_event_seats_held")
    for sql in seats.SQLITE_BACKWARD:
        schema_editor.execute(sql, params=None)


def _restore_sqlite_triggers(apps, schema_editor):
    # Back, and every event's seats counted again (as after any migrate).
    if schema_editor.connection.vendor == "sqlite":
        ensure_sqlite_triggers(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """Indexes a sign-up wrote that no query needs: the event's own (the
    ``registration_queue`` index starts with it) and the code's pattern-ops
    copy (the code is only looked up whole; its uniqueness is now a
    constraint, the same unique index)."""

    dependencies = [
        ("outreach", "0015_event_seats_held"),
    ]

    operations = [
        migrations.RunPython(_drop_sqlite_triggers, _restore_sqlite_triggers),
        # The constraint first, so the code is never without its unique index.
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(fields=("code",), name="registration_code_unique"),
        ),
        migrations.AlterField(
            model_name="registration",
            name="code",
            field=models.CharField(
                default=outreach.models.registrations.new_registration_code,
                editable=False,
                max_length=32,
                verbose_name="报名码",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="registrations",
                to="outreach.event",
                verbose_name="科普活动",
            ),
        ),
        migrations.RunPython(_restore_sqlite_triggers, _drop_sqlite_triggers),
    ]
