from celery import shared_task

from kexie.platform.digests.services import staff_digest_send


@shared_task
def staff_digest() -> int:
    return staff_digest_send()
