"""Sign-up rules: seats, the waiting list, one sign-up per phone, bad input,
cancellation with promotion, and check-in."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from outreach.models import Event, Registration
from outreach.services.registrations import (
    registration_cancel,
    registration_check_in,
    registration_create,
    seats_taken,
)
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _sign_up(event, phone="13900000001", party_size=1, **kwargs):
    return registration_create(
        event=event, name=kwargs.pop("name", "张三"), phone=phone, party_size=party_size, **kwargs
    )


def _messages(exc_info) -> list[str]:
    return exc_info.value.messages


def test_sign_up_with_free_seats_is_confirmed(event):
    registration = _sign_up(event, party_size=2)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.party_size == 2
    assert seats_taken(event_id=event.pk) == 2


def test_full_event_puts_sign_up_on_waiting_list(event):
    RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=3)
    registration = _sign_up(event, party_size=2)
    assert registration.status == Registration.Status.WAITLISTED
    assert seats_taken(event_id=event.pk) == 9


def test_a_small_party_takes_the_last_seat_a_large_one_waits(event):
    for _ in range(3):
        RegistrationFactory(event=event, party_size=3)
    assert _sign_up(event, phone="13900000001", party_size=2).status == "waitlisted"
    assert _sign_up(event, phone="13900000002", party_size=1).status == "confirmed"


def test_phone_is_normalised_before_it_is_stored(event):
    registration = _sign_up(event, phone="+86 139-0000-0001")
    assert registration.phone == "13900000001"


def test_same_phone_twice_for_one_event_is_refused(event):
    _sign_up(event, phone="13900000001")
    with pytest.raises(ValidationError) as exc_info:
        _sign_up(event, phone="139 0000 0001", name="李四")
    assert exc_info.value.message_dict == {"phone": ["这个手机号码已经报名了本活动。"]}
    assert Registration.objects.count() == 1


def test_same_phone_may_sign_up_again_after_cancelling(event):
    first = _sign_up(event, phone="13900000001")
    registration_cancel(registration=first, by_registrant=True)
    again = _sign_up(event, phone="13900000001")
    assert again.status == Registration.Status.CONFIRMED


def test_same_phone_may_sign_up_for_two_events(event):
    _sign_up(event, phone="13900000001")
    other = EventFactory()
    assert _sign_up(other, phone="13900000001").status == "confirmed"


def test_database_refuses_a_second_active_sign_up_for_the_same_phone(event):
    RegistrationFactory(event=event, phone="13900000001")
    duplicate = Registration(
        event=event, name="李四", phone="13900000001", status=Registration.Status.WAITLISTED
    )
    with pytest.raises(ValidationError) as exc_info:
        duplicate.full_clean()
    assert "这个手机号码已经报名了本活动。" in exc_info.value.messages


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "1390000", "请输入有效的11位手机号码。"),
        ("phone", "23900000001", "请输入有效的11位手机号码。"),
        ("phone", "abc", "请输入有效的11位手机号码。"),
        ("party_size", 0, "人数至少为1。"),
        ("party_size", -2, "人数至少为1。"),
        ("party_size", 4, "每次报名最多3人。"),
        ("party_size", "三", "参加人数请填写整数，例如 2。"),
        ("party_size", "1.5", "参加人数请填写整数，例如 2。"),
        ("name", "   ", "请填写姓名。"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(
    event, field, value, message
):
    data = {"name": "张三", "phone": "13900000001", "party_size": 1, field: value}
    with pytest.raises(ValidationError) as exc_info:
        registration_create(event=event, **data)
    assert exc_info.value.message_dict == {field: [message]}
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "本活动已取消，不能报名。"),
        ({"status": Event.Status.DRAFT}, "本活动不接受报名。"),
        ({"status": Event.Status.FINISHED}, "本活动不接受报名。"),
        ({"capacity": None}, "本活动无需报名，欢迎直接参加。"),
        ({"signup_closes_at": NOW - timedelta(minutes=1)}, "报名已截止。"),
        (
            {"starts_at": NOW - timedelta(hours=1), "ends_at": NOW + timedelta(hours=1)},
            "报名已截止。",
        ),
        (
            {"signup_opens_at": NOW + timedelta(days=1, hours=2)},
            "报名尚未开始，将于2026-06-02 12:00开始。",
        ),
    ],
)
def test_sign_up_outside_what_the_event_allows_is_refused(changes, message):
    event = EventFactory(**changes)
    with pytest.raises(ValidationError) as exc_info:
        _sign_up(event)
    assert exc_info.value.messages == [message]
    assert not Registration.objects.exists()


def test_staff_may_enter_a_sign_up_after_the_window(event):
    event.signup_closes_at = NOW - timedelta(hours=1)
    event.save()
    registration = _sign_up(event, enforce_window=False)
    assert registration.status == Registration.Status.CONFIRMED


def test_each_sign_up_gets_its_own_unguessable_code(event):
    codes = {_sign_up(event, phone=f"1390000000{i}").code for i in range(5)}
    assert len(codes) == 5
    assert all(len(code) >= 22 for code in codes)


def test_signed_in_user_is_linked_to_the_sign_up(event, public_user):
    registration = _sign_up(event, user=public_user)
    assert registration.user == public_user


def test_cancelling_promotes_the_oldest_waiting_sign_ups_that_fit(event):
    leaving = RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=1)
    first = RegistrationFactory(
        event=event, party_size=2, status="waitlisted", created_at=NOW + timedelta(minutes=1)
    )
    too_big = RegistrationFactory(
        event=event, party_size=3, status="waitlisted", created_at=NOW + timedelta(minutes=2)
    )
    small = RegistrationFactory(
        event=event, party_size=1, status="waitlisted", created_at=NOW + timedelta(minutes=3)
    )
    later = RegistrationFactory(
        event=event, party_size=1, status="waitlisted", created_at=NOW + timedelta(minutes=4)
    )

    promoted = registration_cancel(registration=leaving, by_registrant=True)

    assert promoted == [first, small]
    for registration, status in [
        (first, "confirmed"),
        (too_big, "waitlisted"),
        (small, "confirmed"),
        (later, "waitlisted"),
    ]:
        registration.refresh_from_db()
        assert registration.status == status
    assert seats_taken(event_id=event.pk) == 10


def test_registrant_cannot_cancel_after_the_cut_off(event):
    registration = _sign_up(event)
    with (
        time_machine.travel(event.starts_at - timedelta(hours=1), tick=False),
        pytest.raises(ValidationError) as exc_info,
    ):
        registration_cancel(registration=registration, by_registrant=True)
    assert _messages(exc_info) == ["活动开始前2小时内不能在线取消，请联系主办方。"]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_staff_can_cancel_after_the_cut_off(event):
    registration = _sign_up(event)
    with time_machine.travel(event.starts_at - timedelta(hours=1), tick=False):
        registration_cancel(registration=registration, by_registrant=False)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_cancelling_twice_is_refused(event):
    registration = _sign_up(event)
    registration_cancel(registration=registration, by_registrant=True)
    with pytest.raises(ValidationError) as exc_info:
        registration_cancel(registration=registration, by_registrant=True)
    assert _messages(exc_info) == ["该报名已经取消。"]


def test_check_in_of_part_of_a_party_and_then_the_rest(event):
    registration = _sign_up(event, party_size=3)
    registration = registration_check_in(registration=registration, count=2)
    assert registration.status == Registration.Status.ATTENDED
    assert registration.attended_count == 2
    first_time = registration.checked_in_at
    registration = registration_check_in(registration=registration, count=3)
    assert registration.attended_count == 3
    assert registration.checked_in_at == first_time


def test_check_in_of_zero_undoes_it(event):
    registration = registration_check_in(registration=_sign_up(event), count=1)
    registration = registration_check_in(registration=registration, count=0)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.checked_in_at is None


@pytest.mark.parametrize(
    ("status", "count", "message"),
    [
        ("confirmed", 4, "签到人数应在0到3之间。"),
        ("confirmed", -1, "签到人数应在0到3之间。"),
        ("waitlisted", 1, "该报名仍在候补名单中，不能签到。"),
        ("cancelled", 1, "该报名已经取消，不能签到。"),
    ],
)
def test_check_in_that_does_not_fit_is_refused(event, status, count, message):
    registration = RegistrationFactory(event=event, party_size=3, status=status)
    with pytest.raises(ValidationError) as exc_info:
        registration_check_in(registration=registration, count=count)
    assert _messages(exc_info) == [message]
    registration.refresh_from_db()
    assert registration.attended_count == 0
    assert registration.status == status
