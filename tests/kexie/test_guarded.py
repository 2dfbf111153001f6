"""Inserts written only if a locked row is as the caller decided on, the
lock, the check and the inserts in one statement; outside a transaction that
statement is the whole transaction (kexie.platform.lib.prepared.guarded)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction

from kexie.platform.lib.prepared import Guard, GuardFailed, Prepared, guarded, insert
from kexie.platform.outbox.models import Notification
from outreach.models import Event, Registration
from tests.conftest import requires_postgres
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

LOCK = Prepared(
    lambda pk: (
        Event.objects.select_for_update()
        .filter(pk=pk)
        .only("status", "capacity", "seats_held")
        .order_by()
    )
)


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('outreach_registration', 'id'))")
        return cursor.fetchone()[0]


def _sign_up(event, phone: str, pk: int) -> tuple[Registration, Notification]:
    """A sign-up with its id given (taken before the block), and a receipt
    naming it, queued."""
    registration = Registration(
        event=event, name="家长", phone=phone, party_size=1, status="confirmed"
    )
    registration.pk = pk
    insert(registration)
    notification = insert(
        Notification(channel="sms", recipient=phone, body="报名成功", dedupe_key=f"t:{phone}")
    )
    return registration, notification


def _guard(event, *, capacity=30, most_held=29) -> Guard:
    return Guard(
        LOCK,
        {"pk": event.pk},
        equal={"status": Event.Status.PUBLISHED, "capacity": capacity},
        between={"seats_held": (None, most_held)},
    )


def test_rows_are_written_when_the_locked_row_is_as_expected():
    event = EventFactory(capacity=30)
    ran = []
    pk = _next_id()
    with guarded(_guard(event)):
        registration, notification = _sign_up(event, "13900000001", pk)
        transaction.on_commit(lambda: ran.append("hook"))
        # Queued: nothing is sent before the block ends.
        assert notification.pk is None
        assert ran == []
    assert ran == ["hook"]
    assert Registration.objects.get(pk=registration.pk).phone == "13900000001"
    assert Notification.objects.get(pk=notification.pk).dedupe_key == "t:13900000001"
    assert not registration._state.adding
    # The trigger moved the seats in the same statement.
    assert Event.objects.get(pk=event.pk).seats_held == 1
    assert Registration.history.filter(id=registration.pk, history_type="+").exists()


def test_outside_a_transaction_the_statement_commits_by_itself():
    event = EventFactory(capacity=30)
    from psycopg2.extensions import STATUS_READY, TRANSACTION_STATUS_IDLE

    seen = []

    def statement(execute, sql, params, many, context):
        raw = connection.connection
        seen.append(("before", raw.autocommit))
        result = execute(sql, params, many, context)
        seen.append(("after", raw.info.transaction_status == TRANSACTION_STATUS_IDLE))
        return result

    pk = _next_id()
    # The statement is sent as the block ends, inside the wrapper.
    with connection.execute_wrapper(statement), guarded(_guard(event)):
        _sign_up(event, "13900000002", pk)
    # Sent in autocommit (psycopg2 sent no BEGIN before it), no transaction
    # open after it (the server committed it; Django's COMMIT had nothing to send).
    assert seen == [("before", True), ("after", True)]
    assert connection.connection.status == STATUS_READY
    assert connection.get_autocommit()
    assert Registration.objects.filter(phone="13900000002").exists()


def test_a_row_otherwise_writes_nothing_runs_no_hook_and_says_how_it_is():
    event = EventFactory(capacity=30)
    RegistrationFactory(event=event, phone="13900000010", party_size=2, status="confirmed")
    ran = []
    pk = _next_id()
    with pytest.raises(GuardFailed) as failed, guarded(_guard(event, most_held=1)):
        registration, notification = _sign_up(event, "13900000003", pk)
        transaction.on_commit(lambda: ran.append("hook"))
    assert ran == []
    assert not Registration.objects.filter(phone="13900000003").exists()
    assert not Notification.objects.exists()
    assert not Registration.history.filter(phone="13900000003").exists()
    assert (failed.value.row.pk, failed.value.row.seats_held) == (event.pk, 2)
    assert failed.value.row.status == Event.Status.PUBLISHED
    # Unsaved again, so the same instance can be tried anew.
    assert registration._state.adding and notification._state.adding
    assert Event.objects.get(pk=event.pk).seats_held == 2


@pytest.mark.parametrize(
    "equal",
    [
        {"status": Event.Status.CANCELLED, "capacity": 30},
        {"status": Event.Status.PUBLISHED, "capacity": 31},
        {"status": Event.Status.PUBLISHED, "capacity": None},
    ],
)
def test_each_expected_value_is_checked(equal):
    event = EventFactory(capacity=30)
    guard = Guard(LOCK, {"pk": event.pk}, equal=equal)
    pk = _next_id()
    with pytest.raises(GuardFailed), guarded(guard):
        _sign_up(event, "13900000004", pk)
    assert not Registration.objects.exists()


def test_null_is_expected_as_null():
    event = EventFactory(capacity=None)
    guard = Guard(LOCK, {"pk": event.pk}, equal={"capacity": None})
    pk = _next_id()
    with guarded(guard):
        _sign_up(event, "13900000005", pk)
    assert Registration.objects.filter(phone="13900000005").exists()


def test_no_row_to_lock_is_does_not_exist():
    event = EventFactory(capacity=30)
    guard = Guard(LOCK, {"pk": event.pk + 1000}, equal={})
    pk = _next_id()
    with pytest.raises(Event.DoesNotExist), guarded(guard):
        _sign_up(event, "13900000006", pk)
    assert not Registration.objects.exists()


def test_an_insert_the_database_refuses_rolls_back_every_row():
    event = EventFactory(capacity=30)
    RegistrationFactory(event=event, phone="13900000007")
    pk = _next_id()
    with pytest.raises(IntegrityError), guarded(_guard(event)):
        _sign_up(event, "13900000007", pk)
    assert Registration.objects.filter(phone="13900000007").count() == 1
    assert not Notification.objects.exists()
    # The connection is usable, outside a transaction, as before.
    assert connection.get_autocommit() and not connection.in_atomic_block
    assert Event.objects.filter(pk=event.pk).exists()


def test_inside_a_transaction_it_is_one_statement_of_that_transaction():
    event = EventFactory(capacity=30)
    pk = _next_id()
    # Its statement is the first of the outer transaction.
    with pytest.raises(RuntimeError), transaction.atomic():
        with guarded(_guard(event)):
            _sign_up(event, "13900000008", pk)
        assert Registration.objects.filter(phone="13900000008").exists()
        raise RuntimeError
    # Rolled back with the transaction it was part of.
    assert not Registration.objects.filter(phone="13900000008").exists()
    assert Event.objects.get(pk=event.pk).seats_held == 0


def test_a_statement_sent_before_it_in_the_block_is_in_its_transaction():
    event = EventFactory(capacity=30)
    pk = _next_id()
    with pytest.raises(GuardFailed), guarded(_guard(event, most_held=-1)):
        Event.objects.filter(pk=event.pk).update(title="改")
        _sign_up(event, "13900000009", pk)
    # The guard failed: the update before it was rolled back with it.
    assert Event.objects.get(pk=event.pk).title != "改"
    assert not Registration.objects.exists()


def test_guarded_blocks_do_not_nest():
    event = EventFactory(capacity=30)
    with pytest.raises(ImproperlyConfigured), guarded(_guard(event)), guarded(_guard(event)):
        pass
