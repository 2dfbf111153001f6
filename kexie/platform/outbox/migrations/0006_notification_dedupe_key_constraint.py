from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0005_notification_pending_index_in_drain_order"),
    ]

    operations = [
        # The constraint first, so the key is never without its unique index.
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("dedupe_key",), name="outbox_dedupe_key_unique"
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="dedupe_key",
            field=models.CharField(
                blank=True, editable=False, max_length=200, null=True, verbose_name="去重键"
            ),
        ),
    ]
