"""A sign-up posted to an event is decided on the event as read before the
lock; on PostgreSQL the lock, a check that the locked row decides the same,
and the inserts are then one statement. Whatever changed between the read and
the lock, the sign-up gets what it would get deciding under the lock."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kexie.platform.lib.server_statements import statement_sql
from kexie.platform.outbox.models import Notification
from outreach import selectors
from outreach.models import Event, Registration
from outreach.services import registrations
from outreach.services.registrations import registration_create
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _as_posted(event) -> Event:
    """The event as the sign-up POST reads it (``access.event_for_sign_up``)."""
    return selectors.event_to_sign_up(pk=event.pk)


def _sign_up(event, phone="13900000001", party_size=1, **kwargs):
    return registration_create(
        event=event, name="张三", phone=phone, party_size=party_size, **kwargs
    )


def _statements(captured) -> list[str]:
    """``checked`` for a lock checked against the row read (with the
    inserts), ``locked`` for a lock that decides by itself."""
    kinds = []
    for query in captured.captured_queries:
        sql = statement_sql(query["sql"])
        if sql.startswith("WITH locked"):
            kinds.append("checked")
        elif "FOR UPDATE" in sql:
            kinds.append("locked")
    return kinds


def _checked_on_postgresql(*kinds) -> list[str]:
    # SQLite locks the whole file instead.
    return list(kinds) if connection.vendor == "postgresql" else []


@pytest.mark.parametrize(
    ("capacity", "size", "waitlist_when_short"),
    list(itertools.product([0, 1, 5, 30], [1, 2, 3, 5], [False, True])),
)
def test_the_range_of_seats_held_checked_is_exactly_where_the_seat_is_the_same(
    capacity, size, waitlist_when_short
):
    event = Event(
        status=Event.Status.PUBLISHED,
        capacity=capacity,
        max_party_size=5,
        starts_at=NOW + registrations.timedelta(days=7),
    )

    def seat(held):
        event.seats_held = held
        return registrations._seat_for(
            event, size, now=NOW, enforce_window=True, waitlist_when_short=waitlist_when_short
        )

    if registrations._party_size_error(size, event=event):
        return
    for decided_at in range(capacity + size + 2):
        status = seat(decided_at)
        if status is None:
            continue
        low, high = registrations._seats_held_deciding(
            status, capacity=capacity, size=size, waitlist_when_short=waitlist_when_short
        )
        for held in range(capacity + size + 2):
            inside = (low is None or held >= low) and (high is None or held <= high)
            assert inside == (seat(held) == status), (decided_at, held)


def test_a_sign_up_read_with_free_seats_is_confirmed_in_one_statement():
    event = EventFactory(capacity=10, max_party_size=1)
    with CaptureQueriesContext(connection) as captured:
        registration = _sign_up(_as_posted(event), consent_notice="signup")
    assert registration.status == Registration.Status.CONFIRMED
    assert _statements(captured) == _checked_on_postgresql("checked")
    assert Event.objects.get(pk=event.pk).seats_held == 1
    receipt = Notification.objects.get()
    assert receipt.dedupe_key == f"outreach:signup:{registration.pk}:sms"
    assert "报名成功" in receipt.body
    assert Registration.history.filter(id=registration.pk, history_type="+").exists()


def test_the_last_seat_taken_after_the_read_puts_the_sign_up_on_the_waiting_list():
    event = EventFactory(capacity=1, max_party_size=1)
    read = _as_posted(event)
    RegistrationFactory(event=event, phone="13900000009", party_size=1, status="confirmed")
    with CaptureQueriesContext(connection) as captured:
        registration = _sign_up(read)
    assert registration.status == Registration.Status.WAITLISTED
    # Decided again on the row as locked, and checked again.
    assert _statements(captured) == _checked_on_postgresql("checked", "checked")
    receipt = Notification.objects.get(dedupe_key=f"outreach:signup:{registration.pk}:sms")
    assert "候补" in receipt.body
    assert Event.objects.get(pk=event.pk).seats_held == 1
    assert Notification.objects.count() == 1


def test_a_seat_freed_after_the_read_confirms_the_sign_up():
    event = EventFactory(capacity=1, max_party_size=1)
    taken = RegistrationFactory(event=event, phone="13900000009", status="confirmed")
    read = _as_posted(event)
    Registration.objects.filter(pk=taken.pk).update(status="cancelled")
    registration = _sign_up(read)
    assert registration.status == Registration.Status.CONFIRMED
    assert "报名成功" in Notification.objects.get().body


def test_a_party_that_no_longer_fits_is_asked_as_under_the_lock():
    event = EventFactory(capacity=4, max_party_size=3)
    read = _as_posted(event)
    RegistrationFactory(event=event, phone="13900000009", party_size=2, status="confirmed")
    with pytest.raises(ValidationError) as refused:
        _sign_up(read, party_size=3, waitlist_when_short=False)
    assert (refused.value.code, refused.value.params) == ("seats_short", {"left": 2, "asked": 3})
    assert Registration.objects.count() == 1 and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "本活动已取消，不能报名。"),
        ({"status": Event.Status.DRAFT}, "本活动不接受报名。"),
        ({"capacity": None}, "本活动无需报名，欢迎直接参加。"),
        ({"signup_closes_at": NOW - registrations.timedelta(hours=1)}, "报名已截止。"),
    ],
)
def test_an_event_closed_after_the_read_refuses_the_sign_up_and_writes_nothing(changes, message):
    event = EventFactory(capacity=10)
    read = _as_posted(event)
    Event.objects.filter(pk=event.pk).update(**changes)
    with pytest.raises(ValidationError) as refused:
        _sign_up(read)
    assert refused.value.messages == [message]
    assert not Registration.objects.exists() and not Notification.objects.exists()


def test_a_party_limit_lowered_after_the_read_refuses_the_larger_party():
    event = EventFactory(capacity=10, max_party_size=3)
    read = _as_posted(event)
    Event.objects.filter(pk=event.pk).update(max_party_size=2)
    with pytest.raises(ValidationError) as refused:
        _sign_up(read, party_size=3)
    assert refused.value.message_dict == {"party_size": ["每次报名最多2人。"]}
    assert not Registration.objects.exists()


def test_an_event_moved_after_the_read_leaves_its_notice_to_follow_the_receipt():
    event = EventFactory(capacity=10)
    read = _as_posted(event)
    Event.objects.filter(pk=event.pk).update(schedule_version=read.schedule_version + 1)
    registration = _sign_up(read)
    assert registration.status == Registration.Status.CONFIRMED
    # The receipt tells the schedule as read; the move's notice follows it.
    assert registration.notified_version == read.schedule_version
    assert Registration.objects.get(pk=registration.pk).notified_version == read.schedule_version


def test_a_phone_signed_up_already_is_refused_by_the_one_statement_too():
    event = EventFactory(capacity=10)
    RegistrationFactory(event=event, phone="13900000001")
    with pytest.raises(ValidationError) as refused:
        _sign_up(_as_posted(event))
    assert refused.value.message_dict == {"phone": ["这个手机号码已经报名了本活动。"]}
    assert Registration.objects.count() == 1 and not Notification.objects.exists()


def test_the_id_read_with_the_event_serves_one_sign_up():
    event = EventFactory(capacity=10)
    read = _as_posted(event)
    first = _sign_up(read, phone="13900000001")
    second = _sign_up(read, phone="13900000002")
    assert first.pk != second.pk
    assert Registration.objects.filter(event=event).count() == 2
