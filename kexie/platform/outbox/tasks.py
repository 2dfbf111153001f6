"""Delivery tasks, one per channel so that each has its own queue
(``CELERY_TASK_ROUTES``): a mail server that never answers holds up the mail
queue's worker only, never the SMS. Each delivery has a hard time limit, past
the channel's own timeout, for a backend that ignores it."""

from celery import shared_task
from django.conf import settings

from kexie.platform.outbox import services
from kexie.platform.outbox.models import Notification

_LIMITS = {
    "soft_time_limit": settings.OUTBOX_DELIVERY_TIME_LIMIT,
    "time_limit": settings.OUTBOX_DELIVERY_TIME_LIMIT + 10,
}


@shared_task(ignore_result=True, **_LIMITS)
def deliver_email(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True, **_LIMITS)
def deliver_sms(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True, **_LIMITS)
def deliver_notification(notification_id: int) -> None:
    """Tasks queued before the channels had their own (kept for an upgrade)."""
    services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    """Hand every due row to its channel's queue; delivers nothing itself, so
    a hanging channel cannot stop the sweep."""
    return services.outbox_sweep_enqueue()


@shared_task(ignore_result=True)
def outbox_purge() -> int:
    return services.outbox_purge()


def _drain(task, channel: str) -> int:
    # A worker's drain lingers a little for the rows still coming (a storm of
    # sign-ups then needs a few tasks, not one per handful of rows); run
    # eagerly, in the request that wrote the row, it does not.
    linger = 0 if task.request.is_eager else settings.OUTBOX_DRAIN_LINGER_SECONDS
    return services.outbox_drain(channel=channel, linger_seconds=linger)


@shared_task(bind=True, ignore_result=True, **_LIMITS)
def drain_email(self) -> int:
    """Every new mail of the outbox, one after the other (``outbox_wake``)."""
    return _drain(self, Notification.Channel.EMAIL)


@shared_task(bind=True, ignore_result=True, **_LIMITS)
def drain_sms(self) -> int:
    """Every new text message of the outbox, one after the other."""
    return _drain(self, Notification.Channel.SMS)
