"""The outbox: written with the change that caused it, delivered after commit,
at most once, retried with back-off, and caught up by the sweep."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from kexie.celery import app as celery_app
from kexie.platform.outbox import services
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create, notification_deliver, outbox_sweep
from tests.conftest import requires_postgres
from tests.helpers import reset_broker_connections, sent_emails, sent_sms


def _email(**kwargs):
    return notification_create(
        channel=Notification.Channel.EMAIL,
        recipient=kwargs.pop("recipient", "a@example.cn"),
        template="test-message",
        context={"text": "你好"},
        **kwargs,
    )


class _BrokenBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


@pytest.mark.django_db(transaction=True)
def test_a_message_is_delivered_once_the_transaction_commits():
    with transaction.atomic():
        notification = _email()
        assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    [email] = sent_emails("a@example.cn")
    assert "测试消息" in email.subject
    assert "你好" in email.body


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        _email()
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_sms_goes_through_the_configured_backend():
    notification_create(
        channel=Notification.Channel.SMS,
        recipient="13900003333",
        template="test-message",
        context={"text": "短信"},
    )
    [(phone, text)] = sent_sms()
    assert phone == "13900003333"
    assert "测试短信：短信" in text


@pytest.mark.django_db(transaction=True)
def test_the_same_occasion_is_notified_only_once():
    first = _email(dedupe_key="reminder:registration:1")
    second = _email(dedupe_key="reminder:registration:1")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_recorded_and_retried_with_back_off(settings):
    settings.EMAIL_BACKEND = "tests.kexie.test_outbox._BrokenBackend"
    notification = _email()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert "smtp down" in notification.last_error
    first_retry = notification.next_attempt_at
    assert first_retry > timezone.now() + timedelta(minutes=1)

    # Not due yet: the sweep leaves it alone.
    assert outbox_sweep() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(first_retry + timedelta(seconds=1)):
        assert outbox_sweep() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_message_that_keeps_failing_is_marked_failed(settings):
    settings.EMAIL_BACKEND = "tests.kexie.test_outbox._BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    notification = _email()
    start = timezone.now()
    for day in range(1, 6):
        with time_machine.travel(start + timedelta(days=day)):
            outbox_sweep()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 3


@pytest.mark.django_db(transaction=True)
def test_a_sent_message_is_never_sent_again():
    notification = _email()
    assert notification_deliver(notification_id=notification.pk) is False
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert outbox_sweep() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_change_succeeds_and_the_sweep_catches_up(settings):
    """Redis is down when the change commits: nothing fails, the row waits,
    and the periodic sweep delivers it once the broker would have had it."""
    celery_app.conf.task_always_eager = False
    previous_broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    reset_broker_connections()
    try:
        with transaction.atomic():
            notification = _email()
    finally:
        celery_app.conf.broker_url = previous_broker
        reset_broker_connections()
        celery_app.conf.task_always_eager = True

    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert mail.outbox == []

    # Too fresh for the sweep: its task may still be on its way.
    assert outbox_sweep() == 0
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS + 1)
    with time_machine.travel(later):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0
    assert len(mail.outbox) == 1


class _SlowBackend:
    """Holds the first send long enough for a second worker to try the same row."""

    started = threading.Event()

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        _SlowBackend.started.set()
        threading.Event().wait(0.5)
        mail.outbox.extend(messages)
        return len(messages)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_row_send_it_once(settings):
    settings.EMAIL_BACKEND = "tests.kexie.test_outbox._SlowBackend"
    celery_app.conf.task_always_eager = False
    try:
        notification = Notification.objects.create(
            channel=Notification.Channel.EMAIL, recipient="a@example.cn", subject="s", body="b"
        )
    finally:
        celery_app.conf.task_always_eager = True
    results = []

    def worker():
        try:
            results.append(notification_deliver(notification_id=notification.pk))
        finally:
            connection.close()

    first = threading.Thread(target=worker)
    first.start()
    _SlowBackend.started.wait(5)
    second = threading.Thread(target=worker)
    second.start()
    first.join()
    second.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


def test_enqueue_never_raises_when_the_broker_is_unreachable(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("kexie.platform.outbox.tasks.deliver_email.apply_async", refuse)
    assert services.enqueue_delivery(12345, "email") is False  # logs, does not raise


@pytest.mark.django_db
def test_staff_send_a_failed_message_again_from_the_admin(staff_client, settings):
    notification = _email()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, attempts=5
    )
    sent = staff_client.post(
        reverse("admin:outbox_notification_changelist"),
        {"action": "deliver_now", "_selected_action": [notification.pk]},
        follow=True,
    )
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert [str(m) for m in sent.context["messages"]] == [
        "已重试发送 1 条通知（未成功的稍后自动重试）。"
    ]
    again = staff_client.post(
        reverse("admin:outbox_notification_changelist"),
        {"action": "deliver_now", "_selected_action": [notification.pk]},
        follow=True,
    )
    assert [str(m) for m in again.context["messages"]] == [f"{notification}: 该通知已经发送。"]
    assert len(mail.outbox) == 1
