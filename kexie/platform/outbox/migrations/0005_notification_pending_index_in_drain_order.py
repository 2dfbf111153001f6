from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0004_notification_add_unsent_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["next_attempt_at", "id"],
                name="outbox_pending_next",
            ),
        ),
        migrations.RemoveIndex(
            model_name="notification",
            name="outbox_pending_due",
        ),
    ]
