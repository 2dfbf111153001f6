from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from kexie.platform.lib.validators import normalize_phone, validate_mobile
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create


class Command(BaseCommand):
    help = "Send a test e-mail or SMS through the outbox, to check a deployment's delivery."

    def add_arguments(self, parser):
        parser.add_argument("recipient", help="an e-mail address or a mobile number")

    def handle(self, recipient, **options):
        try:
            if "@" in recipient:
                validate_email(recipient)
                channel = Notification.Channel.EMAIL
            else:
                validate_mobile(recipient)
                recipient, channel = normalize_phone(recipient), Notification.Channel.SMS
        except Exception as exc:
            raise CommandError(f"Not an e-mail address or a mobile number: {recipient}") from exc
        with transaction.atomic():
            row = notification_create(
                channel=channel,
                recipient=recipient,
                template="test-message",
                context={"text": "ok"},
            )
        row.refresh_from_db()
        self.stdout.write(f"notification {row.pk}: {row.status}")
