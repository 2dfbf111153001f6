"""The drain on PostgreSQL outside a transaction (as the Celery worker runs
it): each row still in its own transaction, locked while it is sent and
marked sent before the next row is taken, in one round trip a row instead of
four (``services._Chained``)."""

import psycopg2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kexie.platform.outbox import services
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.sms import LocmemSmsBackend
from tests.conftest import requires_postgres
from tests.helpers import sent_sms

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _rows(n: int) -> list[int]:
    return [
        Notification.objects.create(channel="sms", recipient=f"1390000{i:04d}", body="报名成功").pk
        for i in range(n)
    ]


def _other_connection():
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    other.autocommit = True
    return other


def _status(other, pk: int) -> str:
    with other.cursor() as cursor:
        cursor.execute("SELECT status FROM outbox_notification WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _locked(other, pk: int) -> bool:
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM outbox_notification WHERE id = %s FOR UPDATE SKIP LOCKED", [pk]
        )
        return cursor.fetchone() is None


def _idle() -> bool:
    return (
        connection.connection.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    )


def test_each_row_is_sent_once_in_one_round_trip():
    ids = _rows(5)
    # The locking reads built beforehand (Django compiles them in an
    # ``atomic()`` block that sends nothing, but logs BEGIN and COMMIT).
    now = timezone.now()
    services._NEW_ROW["sms"].statement(now=now)
    services._NEW_ROW_AFTER["sms"].statement(now=now, after_time=now, after_pk=1)
    with CaptureQueriesContext(connection) as captured:
        assert services.outbox_drain(channel="sms") == 5
    assert [len(sent_sms(f"1390000{i:04d}")) for i in range(5)] == [1] * 5
    assert set(Notification.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
    assert all(row.sent_at and row.attempts == 1 for row in Notification.objects.all())
    # Each row taken with the previous one's UPDATE and COMMIT in one round
    # trip; the last one's sent with the look that finds nothing more, whose
    # transaction is then ended; the drain gives the request up and looks
    # once more.
    sent = [q["sql"] for q in captured.captured_queries]
    assert len(sent) == 5 + 1 + 1 + 2
    assert sent[0].startswith("BEGIN; ") and "COMMIT" not in sent[0]
    assert all("; COMMIT; BEGIN; " in sql for sql in sent[1:6])
    assert sent[6] == "COMMIT" and sent[8] == "COMMIT"
    assert sent[7].startswith("BEGIN; ") and "COMMIT" not in sent[7]
    assert _idle()


def test_a_row_is_locked_while_it_is_sent_and_marked_sent_before_the_next_is_taken(monkeypatch):
    ids = _rows(3)
    other = _other_connection()
    seen = []
    send = LocmemSmsBackend.send

    def watching(self, phone, text, *, idempotency_key=""):
        # As each row is sent: the rows before it are sent and committed,
        # it is locked, the rows after it are pending.
        at = len(seen)
        seen.append(
            (
                [_status(other, pk) for pk in ids],
                _locked(other, ids[at]),
            )
        )
        send(self, phone, text, idempotency_key=idempotency_key)

    monkeypatch.setattr(LocmemSmsBackend, "send", watching)
    try:
        assert services.outbox_drain(channel="sms") == 3
        assert [_status(other, pk) for pk in ids] == ["sent"] * 3
    finally:
        other.close()
    assert seen == [
        (["pending", "pending", "pending"], True),
        (["sent", "pending", "pending"], True),
        (["sent", "sent", "pending"], True),
    ]


def test_a_failed_send_is_recorded_and_the_drain_carries_on(monkeypatch):
    ids = _rows(3)
    send = LocmemSmsBackend.send

    def failing(self, phone, text, *, idempotency_key=""):
        if phone.endswith("0001"):
            raise OSError("网关拒绝")
        send(self, phone, text, idempotency_key=idempotency_key)

    monkeypatch.setattr(LocmemSmsBackend, "send", failing)
    assert services.outbox_drain(channel="sms") == 2
    rows = {row.pk: row for row in Notification.objects.all()}
    assert [rows[pk].status for pk in ids] == ["sent", "pending", "sent"]
    assert rows[ids[1]].attempts == 1 and rows[ids[1]].last_error == "OSError: 网关拒绝"
    assert rows[ids[1]].next_attempt_at > rows[ids[1]].created_at
    assert _idle()


def test_an_interrupted_drain_keeps_the_rows_sent_and_rolls_back_the_one_in_flight(monkeypatch):
    ids = _rows(3)
    send = LocmemSmsBackend.send

    class Stop(BaseException):
        pass

    def stopping(self, phone, text, *, idempotency_key=""):
        if phone.endswith("0002"):
            raise Stop
        send(self, phone, text, idempotency_key=idempotency_key)

    monkeypatch.setattr(LocmemSmsBackend, "send", stopping)
    with pytest.raises(Stop):
        services.outbox_drain(channel="sms")
    assert _idle()
    rows = {row.pk: row for row in Notification.objects.all()}
    assert [rows[pk].status for pk in ids] == ["sent", "sent", "pending"]
    assert rows[ids[2]].attempts == 0
    monkeypatch.setattr(LocmemSmsBackend, "send", send)
    assert services.outbox_drain(channel="sms") == 1
    assert [len(sent_sms(f"1390000{i:04d}")) for i in range(3)] == [1, 1, 1]


def test_a_drain_out_of_time_writes_the_last_row_it_sent(monkeypatch):
    ids = _rows(2)
    clock = iter([0.0, 0.0, 0.0, 100.0, 100.0, 100.0])
    monkeypatch.setattr(services.time, "monotonic", lambda: next(clock, 100.0))
    monkeypatch.setattr(services, "outbox_wake", lambda channel: True)
    assert services.outbox_drain(channel="sms", budget_seconds=1) == 1
    assert _idle()
    assert [Notification.objects.get(pk=pk).status for pk in ids] == ["sent", "pending"]


def test_inside_a_transaction_the_drain_takes_each_row_as_before():
    from django.db import transaction

    _rows(2)
    with transaction.atomic():
        assert services.outbox_drain(channel="sms") == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
