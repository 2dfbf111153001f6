"""A sign-up must not wait on a broker that is down (found by bench/signup_race.py:
each enqueue waited kombu's 2-second retry interval, and 49 of 500 concurrent
sign-ups timed out at the client)."""

import socket
import time

from kexie.celery import app
from kexie.platform.outbox.services import enqueue_delivery
from tests.helpers import reset_broker_connections


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_enqueue_gives_up_at_once_when_the_broker_is_unreachable(settings, caplog):
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    app.conf.task_always_eager = False
    reset_broker_connections()
    try:
        started = time.monotonic()
        enqueue_delivery(1, "email")
        elapsed = time.monotonic() - started
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        reset_broker_connections()
    assert "the sweep will deliver it" in caplog.text
    # Connection refused on loopback is immediate; a retry would sleep 2 s.
    assert elapsed < 1.5
