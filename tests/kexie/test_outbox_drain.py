"""The outbox's drain: new rows written by ``notification_save_new`` (the
sign-up receipts) are delivered by a drain of their channel, asked for once
however many rows arrive while it waits, instead of one task per row."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from kexie.platform.outbox import services
from kexie.platform.outbox.models import Notification
from tests.helpers import sent_sms


def _new(recipient: str, channel: str = Notification.Channel.SMS) -> Notification:
    return Notification(channel=channel, recipient=recipient, body="报名成功")


@pytest.fixture
def published(monkeypatch):
    """Drain tasks published (not run): the channel of each."""
    queued = []

    class _Task:
        def __init__(self, channel):
            self.channel = channel

        def apply_async(self, *args, **kwargs):
            queued.append(self.channel)

    monkeypatch.setattr(services, "_drain_task", _Task)
    return queued


@pytest.mark.django_db
def test_many_new_rows_ask_for_one_drain_per_channel(published, django_capture_on_commit_callbacks):
    for i in range(5):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.notification_save_new(_new(f"1390000000{i}"))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notification_save_new(_new("a@example.cn", Notification.Channel.EMAIL))
    assert published == ["sms", "email"]
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() == 6


@pytest.mark.django_db
def test_a_drain_sends_every_new_row_once_and_forgets_it_was_asked(published):
    for i in range(3):
        services.notification_save_new(_new(f"1390000000{i}"))
    services.outbox_wake("sms")
    assert services.outbox_drain(channel="sms") == 3
    assert services.outbox_drain(channel="sms") == 0
    assert [len(sent_sms(f"1390000000{i}")) for i in range(3)] == [1, 1, 1]
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()
    # The next new row asks for a drain again.
    services.outbox_wake("sms")
    assert published == ["sms", "sms"]


@pytest.mark.django_db
def test_a_drain_leaves_other_channels_and_rows_waiting_for_a_retry(published):
    mail = services.notification_save_new(_new("a@example.cn", Notification.Channel.EMAIL))
    retry = services.notification_save_new(_new("13900000001"))
    Notification.objects.filter(pk=retry.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=2)
    )
    assert services.outbox_drain(channel="sms") == 0
    assert set(Notification.objects.values_list("pk", "status")) == {
        (mail.pk, Notification.Status.PENDING),
        (retry.pk, Notification.Status.PENDING),
    }


@pytest.mark.django_db
def test_a_drain_out_of_time_asks_for_another(published):
    services.notification_save_new(_new("13900000001"))
    assert services.outbox_drain(channel="sms", budget_seconds=0) == 0
    assert published == ["sms"]
    assert services.outbox_drain(channel="sms") == 1


@pytest.mark.django_db
def test_with_redis_away_the_row_waits_for_the_sweep(published, monkeypatch, caplog):
    class _Away:
        def add(self, *args, **kwargs):
            raise ConnectionError("redis down")

    monkeypatch.setattr(services, "cache", _Away())
    row = services.notification_save_new(_new("13900000001"))
    assert services.outbox_wake("sms") is False
    assert published == []
    assert "the sweep delivers" in caplog.text
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING


@pytest.mark.django_db
def test_a_drain_that_cannot_be_queued_is_asked_for_again_by_the_next_row(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("broker down")

    monkeypatch.setattr("kexie.platform.outbox.tasks.drain_sms.apply_async", refuse)
    assert services.outbox_wake("sms") is False
    # The request was forgotten, so the next row tries to queue a drain again.
    assert cache.add(services._wake_key("sms"), 1) is True


@pytest.mark.django_db(transaction=True)
def test_in_eager_mode_a_new_row_is_delivered_on_commit():
    with transaction.atomic():
        services.notification_save_new(_new("13900000009"))
        assert sent_sms("13900000009") == []
    assert len(sent_sms("13900000009")) == 1


@pytest.mark.django_db
def test_a_lingering_drain_sends_rows_that_arrive_while_it_waits(published, monkeypatch):
    services.outbox_wake("sms")
    arriving = ["13900000002", "13900000003"]

    def wait(seconds):
        # Another sign-up commits while the drain waits; it asks for no drain.
        if arriving:
            services.notification_save_new(_new(arriving.pop(0)))
            services.outbox_wake("sms")

    monkeypatch.setattr(services.time, "sleep", wait)
    services.notification_save_new(_new("13900000001"))
    assert services.outbox_drain(channel="sms", linger_seconds=0.2) == 3
    assert published == ["sms"]
    assert len(sent_sms()) == 3
