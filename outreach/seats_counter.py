"""The seats counter's triggers on SQLite, put back after a migration.

``Event.seats_held`` is kept by database triggers (migration 0015). On
PostgreSQL a later ``ALTER TABLE`` keeps them; SQLite alters most columns by
building the table anew, which drops the old table's triggers with it. So
after every ``migrate`` (and ``flush``) on SQLite the triggers that are
missing are created again and every event's seats are counted from its
sign-ups.
"""

import importlib

from django.db import connections

_MIGRATION = "outreach.migrations.0015_event_seats_held"


def _trigger_name(sql: str) -> str:
    words = sql.split()
    return words[words.index("TRIGGER") + 1]


def ensure_sqlite_triggers(*, using: str) -> list[str]:
    """Create the triggers missing on SQLite and count the seats again;
    returns the names created."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    migration = importlib.import_module(_MIGRATION)
    fill, *triggers = migration.SQLITE_FORWARD
    with connection.cursor() as cursor:
        columns = (
            [
                c.name
                for c in connection.introspection.get_table_description(cursor, "outreach_event")
            ]
            if "outreach_event" in connection.introspection.table_names(cursor)
            else []
        )
        if "seats_held" not in columns:
            return []  # not migrated that far
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
        missing = [sql for sql in triggers if _trigger_name(sql) not in present]
        for sql in missing:
            cursor.execute(sql)
        if missing:
            cursor.execute(fill)
    return [_trigger_name(sql) for sql in missing]


def on_post_migrate(sender, using, **kwargs) -> None:
    ensure_sqlite_triggers(using=using)
