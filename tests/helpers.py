"""Small assertion helpers shared by the tests."""

from django.core import mail

from kexie.outbox.sms import LocmemSmsBackend


def sent_emails(to: str | None = None) -> list:
    return [m for m in mail.outbox if to is None or to in m.to]


def sent_sms(to: str | None = None) -> list[tuple[str, str]]:
    return [m for m in LocmemSmsBackend.outbox if to is None or m[0] == to]


def reset_broker_connections() -> None:
    """Drop Celery's pooled broker connections so a changed broker URL is used."""
    from kexie.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
