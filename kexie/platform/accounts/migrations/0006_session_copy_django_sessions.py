from django.db import migrations

SESSION_KEY = "_auth_user_id"


def copy_sessions(apps, schema_editor):
    """The sessions of Django's table into the new one, with the id of each
    one's user, so that nobody is signed out by the change of engine."""
    # Django's store (its class name is the signature's salt, as this
    # project's store's is): an undecodable row gives {} and no user.
    from django.contrib.sessions.backends.db import SessionStore

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "Session")
    decoder = SessionStore()
    rows = []
    for old in Old.objects.iterator(chunk_size=2000):
        user_id = decoder.decode(old.session_data).get(SESSION_KEY)
        rows.append(
            New(
                session_key=old.session_key,
                session_data=old.session_data,
                expire_date=old.expire_date,
                user_id=int(user_id) if user_id and str(user_id).isdigit() else None,
            )
        )
        if len(rows) == 2000:
            New.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    New.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_session_with_user"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_sessions, migrations.RunPython.noop)]
