"""Party sizes: a family that asks for more seats than are left is told how
many are left and chooses (fewer people, or everyone on the waiting list);
nobody is waitlisted while seats are left without asking (a full event has
only its waiting list to offer), and every message matches the limits."""

import pytest
from django.core.exceptions import ValidationError

from outreach.models import Registration
from outreach.services.registrations import (
    party_limit,
    party_size_help,
    registration_create,
)
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

FAMILY = {"name": "王小明家长", "phone": "13912345678", "party_size": "3"}


def _two_seats_left(event):
    for _ in range(4):
        RegistrationFactory(event=event, party_size=2)  # 8 of 10 taken


# --- the rule, in the service


def test_a_party_larger_than_the_seats_left_is_refused_with_how_many_are_left(event):
    _two_seats_left(event)
    with pytest.raises(ValidationError) as exc_info:
        registration_create(
            event=event, name="王家", phone="13912345678", party_size=3, waitlist_when_short=False
        )
    error = exc_info.value
    assert error.code == "seats_short"
    assert error.params == {"left": 2, "asked": 3}
    assert error.messages == ["只剩2个名额，不够3人。可以只报名2人，或者3人全部进入候补名单。"]
    assert Registration.objects.filter(phone="13912345678").count() == 0


def test_a_full_event_puts_the_sign_up_on_its_waiting_list(event):
    # Nothing to choose between when no seat is left (the page loaded with
    # seats and they ran out before the form came back): the waiting list,
    # as the receipt and the private page say.
    for _ in range(5):
        RegistrationFactory(event=event, party_size=2)
    registration = registration_create(
        event=event, name="王家", phone="13912345678", party_size=1, waitlist_when_short=False
    )
    assert registration.status == Registration.Status.WAITLISTED


def test_the_party_that_fits_is_confirmed_without_a_question(event):
    _two_seats_left(event)
    registration = registration_create(
        event=event, name="王家", phone="13912345678", party_size=2, waitlist_when_short=False
    )
    assert registration.status == Registration.Status.CONFIRMED


def test_asking_for_the_waiting_list_puts_the_whole_party_on_it(event):
    _two_seats_left(event)
    registration = registration_create(
        event=event, name="王家", phone="13912345678", party_size=3, waitlist_when_short=True
    )
    assert registration.status == Registration.Status.WAITLISTED
    assert registration.party_size == 3


@pytest.mark.parametrize(
    ("capacity", "max_party_size", "limit"), [(10, 3, 3), (10, 1, 1), (2, 5, 2), (None, 4, 4)]
)
def test_the_party_limit_is_never_more_than_the_seats(capacity, max_party_size, limit):
    event = EventFactory(capacity=capacity, max_party_size=max_party_size)
    assert party_limit(event) == limit


def test_an_event_for_one_person_at_a_time_says_so():
    event = EventFactory(max_party_size=1)
    assert party_size_help(event) == "本活动每次报名限1人。"
    with pytest.raises(ValidationError) as exc_info:
        registration_create(event=event, name="王家", phone="13912345678", party_size=2)
    assert exc_info.value.message_dict == {"party_size": ["本活动每次报名限1人。"]}


def test_a_party_larger_than_the_hall_is_refused_with_the_halls_size():
    event = EventFactory(capacity=2, max_party_size=5)
    assert party_size_help(event) == "含随行的孩子或家人，每次最多2人。"
    with pytest.raises(ValidationError) as exc_info:
        registration_create(event=event, name="王家", phone="13912345678", party_size=3)
    assert exc_info.value.message_dict == {"party_size": ["每次报名最多2人。"]}


def test_the_help_text_says_how_many_seats_are_left_when_fewer_than_the_limit(event):
    assert party_size_help(event, seats_left=2) == (
        "含随行的孩子或家人，每次最多3人；目前只剩2个名额。"
    )
    assert party_size_help(event, seats_left=7) == "含随行的孩子或家人，每次最多3人。"


# --- on the event page


def test_the_page_of_a_one_person_event_never_mentions_family():
    event = EventFactory(max_party_size=1)
    from django.test import Client

    body = Client().get(event.get_absolute_url()).content.decode()
    assert "本活动每次报名限1人。" in body
    assert "随行" not in body
    assert 'max="1"' in body


def test_a_family_of_three_with_two_seats_left_is_asked_to_choose(client, event):
    _two_seats_left(event)
    response = client.post(event.get_absolute_url(), FAMILY)
    body = response.content.decode()
    assert response.status_code == 200
    assert "只剩2个名额，不够3人。" in body
    assert "只报名 2 人" in body
    assert "3 人全部进入候补名单" in body
    assert "名额已满" not in body
    assert not Registration.objects.filter(phone="13912345678").exists()


def test_the_family_chooses_to_sign_up_fewer_people(client, event):
    _two_seats_left(event)
    response = client.post(
        event.get_absolute_url(), {**FAMILY, "if_short": "fewer", "fewer": "2"}, follow=True
    )
    registration = Registration.objects.get(phone="13912345678")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.party_size == 2
    assert "报名成功" in response.content.decode()


def test_the_family_chooses_the_waiting_list_for_all(client, event):
    _two_seats_left(event)
    response = client.post(
        event.get_absolute_url(), {**FAMILY, "if_short": "waitlist", "fewer": "2"}, follow=True
    )
    registration = Registration.objects.get(phone="13912345678")
    assert registration.status == Registration.Status.WAITLISTED
    assert registration.party_size == 3
    assert "您已进入候补名单（3人）" in response.content.decode()


def test_fewer_seats_gone_meanwhile_asks_again_with_the_new_number(client, event):
    _two_seats_left(event)
    RegistrationFactory(event=event, party_size=1)  # someone took one while they chose
    response = client.post(event.get_absolute_url(), {**FAMILY, "if_short": "fewer", "fewer": "2"})
    body = response.content.decode()
    assert "只剩1个名额，不够2人。" in body
    assert "只报名 1 人" in body
    assert not Registration.objects.filter(phone="13912345678").exists()


@pytest.mark.parametrize("fewer", ["", "abc", "0", "-1", "99"])
def test_a_forged_fewer_choice_changes_nothing(client, event, fewer):
    _two_seats_left(event)
    response = client.post(
        event.get_absolute_url(), {**FAMILY, "if_short": "fewer", "fewer": fewer}
    )
    assert response.status_code in (200, 400)
    assert not Registration.objects.filter(phone="13912345678").exists()


def test_staff_entering_a_paper_sign_up_are_asked_too(staff_client, event):
    _two_seats_left(event)
    url = f"/staff/events/{event.pk}/registrations/"
    response = staff_client.post(url, FAMILY)
    assert "只剩2个名额，不够3人。" in response.content.decode()
    assert not Registration.objects.filter(phone="13912345678").exists()
    staff_client.post(url, {**FAMILY, "if_short": "waitlist"})
    assert Registration.objects.get(phone="13912345678").status == Registration.Status.WAITLISTED
