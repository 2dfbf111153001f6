from celery import shared_task

from kexie.platform.verification import services


@shared_task(ignore_result=True)
def verification_purge() -> int:
    return services.verification_purge()
