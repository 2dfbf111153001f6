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


def _late(recipient: str, *, before: Notification) -> Notification:
    """A row written before ``before`` but committed after it was taken."""
    row = services.notification_save_new(_new(recipient))
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=before.next_attempt_at - timedelta(seconds=1)
    )
    return row


@pytest.mark.django_db
def test_a_drain_sends_a_row_committed_after_a_later_one_it_took_before_it_stops(
    published, monkeypatch
):
    monkeypatch.setattr(services, "DRAIN_FULL_LOOK_SECONDS", 3600)
    first = services.notification_save_new(_new("13900000001"))
    late = []

    def wait(seconds):
        if not late:
            late.append(_late("13900000002", before=first))

    monkeypatch.setattr(services.time, "sleep", wait)
    assert services.outbox_drain(channel="sms", linger_seconds=0.2) == 2
    assert len(sent_sms("13900000001")) == len(sent_sms("13900000002")) == 1
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()


@pytest.mark.django_db
def test_a_lingering_drain_looks_at_every_row_again_while_it_waits(published, monkeypatch):
    monkeypatch.setattr(services, "DRAIN_FULL_LOOK_SECONDS", 0)
    first = services.notification_save_new(_new("13900000001"))
    seen = []

    def wait(seconds):
        # The first wait: a late row comes in; the second: it was sent while
        # the drain lingers, not only by its last look before it stops.
        if not seen:
            _late("13900000002", before=first)
        seen.append(len(sent_sms("13900000002")))

    monkeypatch.setattr(services.time, "sleep", wait)
    services.outbox_drain(channel="sms", linger_seconds=0.2)
    assert seen[:2] == [0, 1]
    assert len(sent_sms("13900000002")) == 1


@pytest.mark.django_db
def test_a_drain_takes_the_rows_after_the_last_one_it_took(published, monkeypatch):
    """Its next look starts after the row it took last (the pending index's
    dead entries before it are not stepped over again)."""
    rows = [services.notification_save_new(_new(f"1390000000{i}")) for i in range(3)]
    looks = []
    real = services._deliver_next

    def deliver_next(channel, *, after=None):
        looks.append(after)
        return real(channel, after=after)

    monkeypatch.setattr(services, "_deliver_next", deliver_next)
    assert services.outbox_drain(channel="sms") == 3
    places = [(row.next_attempt_at, row.pk) for row in rows]
    assert looks == [None, *places, None]
