from celery import shared_task

from kexie.portal.content import services


@shared_task
def publish_due() -> int:
    """Record scheduled articles whose time has come as published (they are
    public from that moment anyway; this puts them in search and the history)."""
    return services.article_publish_due()
