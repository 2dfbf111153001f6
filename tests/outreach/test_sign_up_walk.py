"""What a parent met signing up on the production build (engineer public13):
every mistake told at once, and one seat or one person never counted in the
plural on the English page, its text message or its e-mail."""

import pytest
from django.conf import settings
from django.utils import translation

from outreach.models import Registration
from outreach.services.registrations import party_size_help
from tests.helpers import sent_emails, sent_sms
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _errors(response) -> str:
    return response.content.decode()


def test_every_field_error_shows_at_once_when_the_mailbox_is_mistyped(client, event):
    response = client.post(
        event.get_absolute_url(),
        {"name": "", "phone": "1391234000x", "party_size": "abc", "email": "a@b"},
    )
    body = _errors(response)
    assert response.status_code == 400
    assert "请输入有效的电子邮箱。" in body
    assert "请填写姓名。" in body
    assert "请输入有效的11位手机号码。" in body
    assert "参加人数请填写整数，例如 2。" in body
    assert not Registration.objects.exists()


def test_a_right_mailbox_with_the_other_fields_wrong_still_shows_each_error_once(client, event):
    # The service's check, not the form's, reports them when the form is valid.
    body = _errors(
        client.post(
            event.get_absolute_url(),
            {"name": "", "phone": "139", "party_size": "0", "email": "a@example.cn"},
        )
    )
    assert body.count("请填写姓名。") == 1
    assert body.count("请输入有效的11位手机号码。") == 1
    assert body.count("人数至少为1。") == 1


def _one_seat_left():
    event = EventFactory(capacity=3, max_party_size=3)
    RegistrationFactory(event=event, party_size=2)
    return event


def test_one_seat_left_is_not_places_in_english(client):
    event = _one_seat_left()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.post(
        event.get_absolute_url(), {"name": "Li Hua", "phone": "13912340002", "party_size": "3"}
    ).content.decode()
    assert "1 places" not in body
    assert "just 1 people" not in body
    assert not Registration.objects.filter(phone="13912340002").exists()


def test_one_seat_left_reads_as_before_in_chinese(client):
    event = _one_seat_left()
    body = client.post(
        event.get_absolute_url(), {"name": "李华", "phone": "13912340002", "party_size": "3"}
    ).content.decode()
    assert "只剩1个名额，不够3人。可以只报名1人，或者3人全部进入候补名单。" in body


def test_the_party_size_help_counts_one_seat_left_in_the_singular():
    event = EventFactory(capacity=10, max_party_size=3)
    with translation.override("en"):
        assert "1 places" not in party_size_help(event, seats_left=1)
    assert (
        party_size_help(event, seats_left=1) == "含随行的孩子或家人，每次最多3人；目前只剩1个名额。"
    )


def test_one_person_on_the_waiting_list_is_not_people_in_english(client, deliver):
    event = EventFactory(capacity=1, max_party_size=1)
    RegistrationFactory(event=event, party_size=1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with deliver():
        response = client.post(
            event.get_absolute_url(),
            {
                "name": "Zhao Lei",
                "phone": "13912340003",
                "party_size": "1",
                "email": "z@example.cn",
            },
            follow=True,
        )
    assert Registration.objects.get(phone="13912340003").status == Registration.Status.WAITLISTED
    [(_phone, text)] = sent_sms("13912340003")
    [email] = sent_emails("z@example.cn")
    for said in (response.content.decode(), text, email.body):
        assert "(1 people)" not in said


def test_one_person_on_the_waiting_list_reads_as_before_in_chinese(client, deliver):
    event = EventFactory(capacity=1, max_party_size=1, title="航天科普讲座")
    RegistrationFactory(event=event, party_size=1)
    with deliver():
        response = client.post(
            event.get_absolute_url(),
            {"name": "赵磊", "phone": "13912340003", "party_size": "1", "email": "z@example.cn"},
            follow=True,
        )
    assert "您已进入候补名单（1人）。" in response.content.decode()
    assert "您（1人）已进入“航天科普讲座”的候补名单" in sent_sms("13912340003")[0][1]
    assert "您（1人）已进入“航天科普讲座”的候补名单" in sent_emails("z@example.cn")[0].body
