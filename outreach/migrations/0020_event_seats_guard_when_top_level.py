"""The seats guard on PostgreSQL runs only for writes it changes (issue 15).

``outreach_event_seats_guard`` (0015) keeps every write but the seats
trigger's from changing ``seats_held``: it acts only when the write is not
made by a trigger (``pg_trigger_depth() = 1`` inside it). It was still called
for the seats trigger's own update on every sign-up, to do nothing. The same
condition as the trigger's ``WHEN`` (evaluated before the call, one level up:
``pg_trigger_depth() < 1``) leaves that update without the call; every other
write is guarded as before. SQLite's guard has its own ``WHEN`` already.
"""

from django.db import migrations

GUARD = """
    CREATE TRIGGER outreach_event_seats_guard
    BEFORE INSERT OR UPDATE OF seats_held ON outreach_event
    FOR EACH ROW {when}EXECUTE FUNCTION outreach_event_seats_guard()
"""
DROP = "DROP TRIGGER outreach_event_seats_guard ON outreach_event"


def _replace(schema_editor, *, when: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP, params=None)
    schema_editor.execute(GUARD.format(when=when), params=None)


def forward(apps, schema_editor):
    _replace(schema_editor, when="WHEN (pg_trigger_depth() < 1) ")


def backward(apps, schema_editor):
    _replace(schema_editor, when="")


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0019_lecturerequest_add_language"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
