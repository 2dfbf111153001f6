from celery import shared_task

from kexie.platform.outbox import services


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    return services.outbox_sweep()


@shared_task(ignore_result=True)
def outbox_purge() -> int:
    return services.outbox_purge()
