"""The outbox with a real Redis broker and a real Celery worker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from kexie.celery import app as celery_app
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create
from tests.conftest import requires_redis
from tests.helpers import reset_broker_connections


@pytest.fixture
def celery_worker(settings):
    celery_app.conf.task_always_eager = False
    reset_broker_connections()
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
        queues=["celery", "outbox.email", "outbox.sms"],
    ) as worker:
        yield worker
    celery_app.conf.task_always_eager = True


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_row_written_by_a_request(celery_worker):
    with transaction.atomic():
        notification = notification_create(
            channel=Notification.Channel.EMAIL,
            recipient="worker@example.cn",
            template="test-message",
            context={"text": "来自真实的 Celery 进程"},
        )

    def sent():
        notification.refresh_from_db()
        return notification.status == Notification.Status.SENT

    assert _wait_for(sent), f"still {notification.status} after 20 s: {notification.last_error}"
    assert notification.attempts == 1
    assert [m.to for m in mail.outbox] == [["worker@example.cn"]]
