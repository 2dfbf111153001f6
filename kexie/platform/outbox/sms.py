"""SMS backends. A provider plugs in as a class with ``send(phone, text)``.

Choose one with the ``SMS_BACKEND`` setting (a dotted path).
"""

import logging
import sys

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone``; raise on failure so the outbox retries."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints messages, for development."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[SMS → {phone}] {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in ``LocmemSmsBackend.outbox``, for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
