"""A lost private link is found again by phone number and a one-time code:
the first step tells nobody whether the number signed up, the code is
limited, and only the number's owner sees its sign-ups."""

import re

import pytest
from django.urls import reverse

from outreach.models import Registration
from tests.helpers import sent_sms
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
START = "/events/find/"
CODE = "/events/find/code/"
MINE = "/events/find/mine/"


def _code_sent_to(phone: str = PHONE) -> str:
    return re.search(r"验证码(\d{6})，", sent_sms(phone)[-1][1]).group(1)


def test_the_urls_are_where_the_pages_link():
    assert reverse("outreach:recover_start") == START
    assert reverse("outreach:recover_code") == CODE
    assert reverse("outreach:recover_list") == MINE


def test_a_family_finds_its_private_link_again(client, event, django_capture_on_commit_callbacks):
    mine = RegistrationFactory(event=event, phone=PHONE, name="王小明家长")
    other = RegistrationFactory(event=event, phone="13800001111")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, {"phone": "139 1234 5678"})
    assert response.status_code == 302
    assert response["Location"] == CODE
    page = client.get(CODE).content.decode()
    assert "139****5678" in page
    response = client.post(CODE, {"code": _code_sent_to()})
    assert response["Location"] == MINE
    body = client.get(MINE).content.decode()
    assert mine.get_absolute_url() in body
    assert other.get_absolute_url() not in body
    assert event.title in body


def test_the_first_step_answers_the_same_for_a_number_that_never_signed_up(
    client, event, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(START, {"phone": PHONE})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(START, {"phone": "13700009999"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # Each gets the same fixed text; nothing says whether a sign-up exists.
    texts = [re.sub(r"\d{6}", "######", sent_sms(p)[-1][1]) for p in (PHONE, "13700009999")]
    assert texts[0] == texts[1]


def test_a_number_without_sign_ups_sees_an_empty_list_once_proven(
    client, django_capture_on_commit_callbacks, db
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"phone": PHONE})
    client.post(CODE, {"code": _code_sent_to()})
    assert "这个号码没有报名记录。" in client.get(MINE).content.decode()


def test_the_list_needs_the_code(client, event):
    RegistrationFactory(event=event, phone=PHONE)
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"] == START
    assert client.get(CODE)["Location"] == START


@pytest.mark.parametrize(
    ("phone", "message"),
    [("", "请输入有效的11位手机号码。"), ("12345", "请输入有效的11位手机号码。")],
)
def test_a_bad_number_is_refused_and_nothing_is_sent(client, db, phone, message):
    response = client.post(START, {"phone": phone})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert sent_sms() == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "请输入短信验证码。"),
        ("000000", "验证码不正确，请核对后重新输入。"),
        ("x" * 40, "验证码不正确，请核对后重新输入。"),
    ],
)
def test_a_wrong_code_is_refused_and_shows_nothing(
    client, event, django_capture_on_commit_callbacks, code, message
):
    RegistrationFactory(event=event, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"phone": PHONE})
    if code == "000000" and _code_sent_to() == code:
        code = "111111"
    response = client.post(CODE, {"code": code})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert client.get(MINE).status_code == 302


def test_codes_are_rate_limited_per_number(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.LIMIT_CODE_REQUEST_PER_RECIPIENT = "2/h"
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(START, {"phone": PHONE}).status_code == 302
    response = client.post(START, {"phone": PHONE})
    assert response.status_code == 429
    assert len(sent_sms(PHONE)) == 2


def test_signing_up_again_with_the_same_number_points_to_recovery(client, event):
    RegistrationFactory(event=event, phone=PHONE)
    response = client.post(
        event.get_absolute_url(), {"name": "王小明", "phone": PHONE, "party_size": "1"}
    )
    body = response.content.decode()
    assert "这个手机号码已经报名了本活动。" in body
    assert "找不到报名链接了？" in body
    assert f'href="{START}"' in body
    assert Registration.objects.count() == 1


def test_the_list_shows_coming_events_first(client, django_capture_on_commit_callbacks, db):
    from datetime import timedelta

    from tests.outreach.conftest import NOW

    past = EventFactory(title="上月的讲座", starts_at=NOW - timedelta(days=30))
    later = EventFactory(title="下月的讲座", starts_at=NOW + timedelta(days=30))
    soon = EventFactory(title="下周的讲座", starts_at=NOW + timedelta(days=7))
    for event in (past, later, soon):
        RegistrationFactory(event=event, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"phone": PHONE})
    client.post(CODE, {"code": _code_sent_to()})
    body = client.get(MINE).content.decode()
    assert body.index("下周的讲座") < body.index("下月的讲座") < body.index("上月的讲座")
