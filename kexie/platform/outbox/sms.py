"""SMS backends. A provider plugs in as a subclass of ``BaseSmsBackend``.

Choose one with the ``SMS_BACKEND`` setting (a dotted path). Two promises a
provider's backend must keep, because a worker process is shared by every
message of its queue:

- it gives up after ``self.timeout`` seconds (``SMS_TIMEOUT``) and raises, so
  the outbox retries later instead of the worker hanging on a dead peer (the
  delivery task also has a hard time limit, ``OUTBOX_DELIVERY_TIME_LIMIT``,
  for a backend that does not);
- it passes ``idempotency_key`` to the provider when the provider supports
  one (most Chinese SMS gateways take an out-id or a client serial number):
  the key is the same for every attempt of one outbox row, so a resend after a
  worker died mid-send is dropped by the provider and the text arrives once.
"""

import logging
import sys

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class BaseSmsBackend:
    def __init__(self, timeout: float | None = None):
        self.timeout = settings.SMS_TIMEOUT if timeout is None else timeout

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        """Send ``text`` to ``phone`` within ``self.timeout`` seconds; raise on
        failure (a timeout included) so the outbox retries."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints messages, for development."""

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        sys.stdout.write(f"[SMS → {phone}] {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in ``LocmemSmsBackend.outbox``, for tests."""

    outbox: list[tuple[str, str]] = []
    # The idempotency key of each message in ``outbox``, in the same order.
    keys: list[str] = []

    def send(self, phone: str, text: str, *, idempotency_key: str = "") -> None:
        self.outbox.append((phone, text))
        self.keys.append(idempotency_key)


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
