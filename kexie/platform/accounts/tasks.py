from celery import shared_task

from kexie.platform.accounts import services


@shared_task(ignore_result=True)
def password_reset_send(address: str) -> int:
    return services.password_reset_send(address=address)
