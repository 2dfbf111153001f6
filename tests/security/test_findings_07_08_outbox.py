"""Issue 18, findings 7 and 8: every channel gives up on a silent peer, the
channels have their own queues, and the delivery promise is at least once with
one key per message for the provider to drop a resend."""

import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kexie.celery import app as celery_app
from kexie.platform.outbox import services
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.sms import BaseSmsBackend, LocmemSmsBackend, get_sms_backend

pytestmark = pytest.mark.django_db


def _row(channel="email", recipient="a@example.cn"):
    return Notification.objects.create(
        channel=channel, recipient=recipient, subject="测试", body="正文"
    )


@pytest.fixture
def silent_smtp():
    """A TCP listener that accepts and never says a word (a dead SMTP peer)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_finding_07_a_mail_to_an_smtp_peer_that_never_answers_gives_up(settings, silent_smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_smtp
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    row = _row()
    assert services.notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 1
    assert "timed out" in row.last_error.lower() or "timeout" in row.last_error.lower()


def test_finding_07_every_channel_has_a_timeout(settings):
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT > 0
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == (
        settings.EMAIL_TIMEOUT
    )
    settings.SMS_TIMEOUT = 7
    assert get_sms_backend().timeout == 7
    assert BaseSmsBackend(timeout=3).timeout == 3
    from kexie.platform.outbox import tasks

    for task in (tasks.deliver_email, tasks.deliver_sms):
        assert task.time_limit > task.soft_time_limit >= settings.EMAIL_TIMEOUT


def test_finding_07_mail_and_sms_have_their_own_queues():
    route = celery_app.amqp.router.route
    assert route({}, "kexie.platform.outbox.tasks.deliver_email")["queue"].name == "outbox.email"
    assert route({}, "kexie.platform.outbox.tasks.deliver_sms")["queue"].name == "outbox.sms"
    assert route({}, "kexie.platform.outbox.tasks.outbox_sweep")["queue"].name == "celery"


def test_finding_07_each_message_is_queued_for_its_channel(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        services,
        "_delivery_task",
        lambda channel: type("T", (), {"apply_async": lambda *a, **k: queued.append(channel)}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_create(
            channel="email",
            recipient="a@example.cn",
            template="test-message",
            context={"text": "x"},
        )
        services.notification_create(
            channel="sms", recipient="13900001111", template="test-message", context={"text": "x"}
        )
    assert queued == ["email", "sms"]


def test_finding_07_the_periodic_sweep_hands_rows_to_their_queues_and_sends_nothing(monkeypatch):
    handed = []
    monkeypatch.setattr(
        services,
        "enqueue_delivery",
        lambda pk, channel, expires=None: handed.append((channel, expires)) or True,
    )
    _row("email")
    _row("sms", "13900001111")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert services.outbox_sweep_enqueue() == 2
    assert sorted(handed) == [("email", 60), ("sms", 60)]
    assert mail.outbox == [] and LocmemSmsBackend.outbox == []


def test_finding_07_the_sweep_delivers_itself_when_nothing_can_be_queued(monkeypatch):
    monkeypatch.setattr(services, "enqueue_delivery", lambda *args, **kwargs: False)
    _row("sms", "13900001111")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert services.outbox_sweep_enqueue() == 1
    assert len(LocmemSmsBackend.outbox) == 1


class _AcceptedThenLost(LocmemSmsBackend):
    """The provider takes the text, then the answer is lost (the worker died)."""

    def send(self, phone, text, *, idempotency_key=""):
        super().send(phone, text, idempotency_key=idempotency_key)
        if len(self.outbox) == 1:
            raise ConnectionResetError("worker died before the row was marked sent")


def test_finding_08_a_resend_carries_the_same_idempotency_key(settings):
    settings.SMS_BACKEND = f"{__name__}._AcceptedThenLost"
    row = _row("sms", "13900001111")
    assert services.notification_deliver(notification_id=row.pk) is False
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert services.outbox_sweep() == 1
    assert len(LocmemSmsBackend.outbox) == 2  # at least once: sent twice ...
    first, second = LocmemSmsBackend.keys[-2:]
    assert first == second != ""  # ... under one key the provider can drop


def test_finding_08_a_resent_mail_keeps_its_message_id(settings):
    calls = []

    class _Flaky:
        def __init__(self, **kwargs):
            pass

        def send_messages(self, messages):
            calls.append(messages[0].extra_headers["Message-ID"])
            if len(calls) == 1:
                raise ConnectionResetError("lost answer")
            return 1

    settings.EMAIL_BACKEND = f"{__name__}._FlakyMail"
    globals()["_FlakyMail"] = _Flaky
    row = _row()
    services.notification_deliver(notification_id=row.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.outbox_sweep()
    assert len(calls) == 2 and calls[0] == calls[1]
    assert calls[0].startswith(f"<kexie-outbox-{row.pk}-")
