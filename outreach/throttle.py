"""How often one network address may sign up: a bot with made-up phone numbers
must not be able to fill an event's seats.

Counted in the cache by django-ratelimit, keyed on the visitor's address as
``kexie.platform.lib.client_ip`` reads it behind trusted proxies. It fails open: with
the cache (Redis) down, sign-ups go on, since the portal works without Redis.
"""

import logging

from django.conf import settings
from django_ratelimit.core import get_usage

from kexie.platform.lib.client_ip import client_ip

log = logging.getLogger(__name__)


def _address(group, request) -> str:
    return client_ip(request)


def _usage(request, *, increment: bool):
    return get_usage(
        request,
        group="outreach.signup",
        key=_address,
        rate=settings.OUTREACH_SIGNUP_RATE,
        increment=increment,
    )


def signup_throttled(request) -> bool:
    """True when the visitor's address has made ``OUTREACH_SIGNUP_RATE``
    sign-ups already (an empty rate: never). Only sign-ups made count, so a
    family that mistypes a phone number is not held up."""
    if not settings.OUTREACH_SIGNUP_RATE:
        return False
    try:
        usage = _usage(request, increment=False)
    except Exception:
        log.warning("outreach: sign-up rate not read (cache unavailable)", exc_info=True)
        return False
    return usage is not None and usage["count"] >= usage["limit"]


def signup_counted(request) -> None:
    """Count a sign-up made from the visitor's address."""
    if not settings.OUTREACH_SIGNUP_RATE:
        return
    try:
        _usage(request, increment=True)
    except Exception:
        log.warning("outreach: sign-up not counted (cache unavailable)", exc_info=True)
