"""Popular events: staff turn on a mobile-number check by code for an event's
sign-ups (``Event.signup_needs_code``, off by default). Without it a sign-up
is one POST of name, phone, party size (and e-mail), exactly as before; with
it, the first submission sends a code and comes back with what was typed and
the reason, and the one with the right code signs up."""

import re

import pytest

from outreach.models import Registration
from tests.factories import UserFactory
from tests.helpers import sent_sms
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
TYPED = {"name": "王小明家长", "phone": "139 1234 5678", "party_size": "2", "email": ""}


@pytest.fixture
def popular(db):
    return EventFactory(title="院士进校园", capacity=50, signup_needs_code=True)


def _code_sent_to(phone: str = PHONE) -> str:
    return re.search(r"验证码(\d{6})，", sent_sms(phone)[-1][1]).group(1)


def _post(client, event, capture, **data):
    with capture(execute=True):
        return client.post(event.get_absolute_url(), {**TYPED, **data})


def test_the_check_is_off_by_default_and_one_post_signs_up_as_before(client, db):
    event = EventFactory(capacity=50)
    assert event.signup_needs_code is False
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'name="code"' not in page
    response = client.post(
        event.get_absolute_url(),
        {"name": "李四", "phone": "13800001111", "email": "li@example.cn", "party_size": 1},
    )
    assert response.status_code == 302
    assert Registration.objects.get(event=event).phone == "13800001111"
    assert not [text for _, text in sent_sms("13800001111") if "验证码" in text]


def test_the_form_of_a_popular_event_asks_for_a_code(client, popular):
    page = client.get(popular.get_absolute_url()).content.decode()
    assert 'name="code"' in page
    assert "本活动报名需验证手机号码" in page
    assert 'name="send_code"' in page


def test_the_first_submission_sends_a_code_and_keeps_what_was_typed(
    client, popular, django_capture_on_commit_callbacks
):
    response = _post(client, popular, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    body = response.content.decode()
    assert "本活动报名需要验证手机号码：验证码已发送到139****5678，请填写验证码后再次提交。" in body
    assert 'value="王小明家长"' in body
    assert 'value="139 1234 5678"' in body
    assert not Registration.objects.exists()
    assert _code_sent_to()


def test_the_right_code_signs_up(client, popular, django_capture_on_commit_callbacks):
    _post(client, popular, django_capture_on_commit_callbacks)
    response = _post(client, popular, django_capture_on_commit_callbacks, code=_code_sent_to())
    assert response.status_code == 302
    registration = Registration.objects.get(event=popular)
    assert (registration.name, registration.phone, registration.party_size) == (
        "王小明家长",
        PHONE,
        2,
    )


def test_a_wrong_code_is_refused_with_what_was_typed_kept(
    client, popular, django_capture_on_commit_callbacks
):
    _post(client, popular, django_capture_on_commit_callbacks)
    right = _code_sent_to()
    wrong = "000000" if right != "000000" else "111111"
    response = _post(client, popular, django_capture_on_commit_callbacks, code=wrong)
    assert response.status_code == 400
    body = response.content.decode()
    assert "验证码不正确，请核对后重新输入。" in body
    assert 'value="王小明家长"' in body
    assert not Registration.objects.exists()


def test_a_code_proves_only_the_number_it_was_sent_to(
    client, popular, django_capture_on_commit_callbacks
):
    _post(client, popular, django_capture_on_commit_callbacks)
    code = _code_sent_to()
    response = _post(
        client, popular, django_capture_on_commit_callbacks, phone="13700009999", code=code
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_the_resend_button_sends_a_new_code_and_signs_up_nobody(
    client, popular, django_capture_on_commit_callbacks
):
    response = _post(client, popular, django_capture_on_commit_callbacks, send_code="1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "验证码已发送到139****5678" in body
    assert 'value="王小明家长"' in body
    assert len(sent_sms(PHONE)) == 1
    assert not Registration.objects.exists()


def test_a_number_proven_once_needs_no_second_code_in_the_same_visit(
    client, popular, django_capture_on_commit_callbacks
):
    _post(client, popular, django_capture_on_commit_callbacks)
    _post(client, popular, django_capture_on_commit_callbacks, code=_code_sent_to())
    other = EventFactory(title="另一场热门活动", capacity=50, signup_needs_code=True)
    response = _post(client, other, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [text for _, text in sent_sms(PHONE) if "验证码" in text] == [sent_sms(PHONE)[0][1]]


def test_a_signed_in_user_signing_up_with_their_own_proven_number_needs_no_code(
    client, popular, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(phone=PHONE))
    response = _post(client, popular, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Registration.objects.filter(event=popular).count() == 1


def test_codes_are_limited_and_the_refusal_keeps_what_was_typed(
    client, popular, settings, django_capture_on_commit_callbacks
):
    settings.LIMIT_CODE_REQUEST_PER_RECIPIENT = "1/h"
    _post(client, popular, django_capture_on_commit_callbacks)
    response = _post(client, popular, django_capture_on_commit_callbacks, send_code="1")
    assert response.status_code == 429
    assert 'value="王小明家长"' in response.content.decode()
    assert not Registration.objects.exists()


def test_a_bad_number_is_reported_by_the_sign_up_rules_and_sends_nothing(
    client, popular, django_capture_on_commit_callbacks
):
    response = _post(client, popular, django_capture_on_commit_callbacks, phone="12345")
    assert response.status_code == 400
    assert "请输入有效的11位手机号码。" in response.content.decode()
    assert sent_sms() == []
