from celery import shared_task

from kexie.platform.privacy.services import retention_run


@shared_task(ignore_result=True)
def retention() -> dict:
    """Nightly: anonymise personal data past its retention period."""
    return retention_run()
