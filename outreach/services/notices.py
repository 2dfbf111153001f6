"""Messages to registrants, through the outbox.

The sign-up and cancellation receipts are written in the transaction that
caused them. Reminders, waiting-list promotions, event cancellations and moves
are found by ``notice_sweep`` from the state of the records: nothing is
scheduled ahead. Each occasion has a dedupe key, and each registration is
locked while its notice is written, so two sweeps running at once send every
message exactly once.
"""

import contextlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kexie.platform.lib.kept_urls import kept_reverse
from kexie.platform.lib.site import site_name
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_build, notification_create
from outreach.models import Event, Registration


def registration_link(registration: Registration) -> str:
    return settings.SITE_URL + registration.get_absolute_url()


def _qr_link(registration: Registration) -> str:
    return settings.SITE_URL + kept_reverse("outreach:registration_qr", registration.code)


def _registrant_context(registration: Registration, context: dict | None) -> dict:
    return {
        "registration": registration,
        "event": registration.event,
        "link": registration_link(registration),
        "qr_link": _qr_link(registration),
        **(context or {}),
    }


def _channels(registration: Registration) -> list[tuple[str, str, str]]:
    """(channel, recipient, dedupe suffix): a text always, an e-mail too when
    they gave an address."""
    found = [(Notification.Channel.SMS, registration.phone, "sms")]
    if registration.email:
        found.append((Notification.Channel.EMAIL, registration.email, "email"))
    return found


def notify_registrant(
    registration: Registration, *, template: str, occasion: str, context: dict | None = None
) -> None:
    """Text the registrant, and e-mail them too when they gave an address, in
    the language they signed up in."""
    context = _registrant_context(registration, context)
    key = f"outreach:{occasion}:{registration.pk}"
    for channel, recipient, suffix in _channels(registration):
        notification_create(
            channel=channel,
            recipient=recipient,
            template=template,
            context=context,
            dedupe_key=f"{key}:{suffix}",
            language=registration.language,
        )


def registrant_notifications(
    registration: Registration, *, template: str, occasion: str, context: dict | None = None
) -> list[Notification]:
    """What ``notify_registrant`` writes, rendered but not saved, for a
    registration not saved yet: each dedupe key holds ``{pk}`` for its id."""
    notifications = []
    full_context = None
    for channel, recipient, suffix in _channels(registration):
        dedupe_key = f"outreach:{occasion}:{{pk}}:{suffix}"
        if channel == Notification.Channel.SMS and template in KEPT_TEXTS:
            notifications.append(
                _kept_text(registration, template, context or {}, recipient, dedupe_key)
            )
            continue
        if full_context is None:
            full_context = _registrant_context(registration, context)
        notifications.append(
            notification_build(
                channel=channel,
                recipient=recipient,
                template=template,
                context=full_context,
                dedupe_key=dedupe_key,
                language=registration.language,
            )
        )
    return notifications


# Text messages rendered once per event, wording and party size, the private
# links put in afterwards: the sign-ups of a storm differ only in their links
# (issue 15). Each names what its template reads of the registration and of
# the event; it is rendered with stand-ins holding only that, so a template
# that came to read more would show it empty, never someone else's
# (tests/outreach/test_notices.py compares every kept text with the
# template's, for sign-ups that differ in everything).
KEPT_TEXTS = {"outreach-signup": (("party_size",), ("title", "starts_at"))}
_LINK = "\x00link\x00"
_QR_LINK = "\x00qr-link\x00"
_kept_texts: dict[tuple, str] = {}
_KEPT_TEXTS_SIZE = 2000


def _kept_text(
    registration: Registration, template: str, context: dict, recipient: str, dedupe_key: str
) -> Notification:
    event = registration.event
    registration_reads, event_reads = KEPT_TEXTS[template]
    registration_values = {name: getattr(registration, name) for name in registration_reads}
    event_values = {name: getattr(event, name) for name in event_reads}
    key = (
        template,
        tuple(sorted(context.items())),
        tuple(registration_values.values()),
        tuple(event_values.values()),
        registration.language,
        site_name(),
        settings.SITE_URL,
        timezone.get_current_timezone_name(),
    )
    body = _kept_texts.get(key)
    if body is None:
        if len(_kept_texts) >= _KEPT_TEXTS_SIZE:
            _kept_texts.clear()
        rendered = notification_build(
            channel=Notification.Channel.SMS,
            recipient="",
            template=template,
            context={
                "registration": Registration(**registration_values),
                "event": Event(**event_values),
                "link": _LINK,
                "qr_link": _QR_LINK,
                **context,
            },
            language=registration.language,
        )
        body = _kept_texts[key] = rendered.body
    full = body.replace(_LINK, registration_link(registration)).replace(
        _QR_LINK, _qr_link(registration)
    )
    return Notification(
        channel=Notification.Channel.SMS, recipient=recipient, dedupe_key=dedupe_key, body=full
    )


def enqueue_event_notices(*, event_id: int) -> None:
    """Send an event's due notices soon after this transaction commits, rather
    than at the next sweep."""
    from outreach.tasks import send_event_notices

    def enqueue():
        # If the broker is down, the periodic sweep sends them instead.
        with contextlib.suppress(Exception):
            send_event_notices.delay(event_id)

    transaction.on_commit(enqueue)


def _reminders_due(now) -> Q:
    lead = timedelta(hours=settings.OUTREACH_REMINDER_BEFORE_HOURS)
    return Q(
        status=Registration.Status.CONFIRMED,
        reminded_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + lead,
    )


def _promotions_due(now) -> Q:
    return Q(
        status=Registration.Status.CONFIRMED,
        promoted_at__isnull=False,
        promotion_notified_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
    )


def _event_cancellations_due(now) -> Q:
    return Q(
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED),
        event_cancel_notified_at__isnull=True,
        event__status=Event.Status.CANCELLED,
        event__starts_at__gt=now,
    )


def _moves_due(now) -> Q:
    return Q(
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED),
        notified_version__lt=F("event__schedule_version"),
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
    )


def _send_reminder(registration: Registration, now) -> None:
    version = registration.event.schedule_version
    notify_registrant(registration, template="outreach-reminder", occasion=f"reminder:v{version}")
    registration.reminded_at = now
    registration.save(update_fields=["reminded_at"])


def _send_promotion(registration: Registration, now) -> None:
    notify_registrant(registration, template="outreach-promoted", occasion="promoted")
    registration.promotion_notified_at = now
    registration.save(update_fields=["promotion_notified_at"])


def _send_event_cancellation(registration: Registration, now) -> None:
    notify_registrant(registration, template="outreach-event-cancelled", occasion="event-cancelled")
    registration.event_cancel_notified_at = now
    registration.save(update_fields=["event_cancel_notified_at"])


def _send_move(registration: Registration, now) -> None:
    version = registration.event.schedule_version
    notify_registrant(registration, template="outreach-moved", occasion=f"moved:v{version}")
    registration.notified_version = version
    registration.save(update_fields=["notified_version"])


NOTICES: list[tuple[Callable, Callable]] = [
    (_event_cancellations_due, _send_event_cancellation),
    (_moves_due, _send_move),
    (_promotions_due, _send_promotion),
    (_reminders_due, _send_reminder),
]


def notice_sweep(*, event_id: int | None = None, limit: int = 2000) -> int:
    """Write every due notice to the outbox; returns how many were written.

    Each registration is handled in its own short transaction, locked with
    SKIP LOCKED and re-checked, so a concurrent sweep either skips it or finds
    it already done.
    """
    sent = 0
    for due, send in NOTICES:
        now = timezone.now()
        candidates = Registration.objects.filter(due(now))
        if event_id is not None:
            candidates = candidates.filter(event_id=event_id)
        for pk in candidates.order_by("pk").values_list("pk", flat=True)[:limit]:
            with transaction.atomic():
                registration = (
                    Registration.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("event", "event__venue")
                    .filter(due(now), pk=pk)
                    .first()
                )
                if registration is None:
                    continue
                send(registration, now)
                sent += 1
    return sent
