"""A community that asked for a lecture (点单式科普) follows its request on a
private page, linked from the receipt, with staff's answer; the messages to
its (unproven) number quote nothing it typed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from outreach.models import LectureRequest
from outreach.services.speakers import lecture_request_accept, lecture_request_decline
from tests.factories import TownFactory
from tests.helpers import sent_sms
from tests.outreach.conftest import NOW
from tests.outreach.factories import AudienceFactory, LectureTopicFactory

pytestmark = pytest.mark.django_db

PHONE = "13955556666"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://kexie.test"


@pytest.fixture
def topic():
    return LectureTopicFactory(title="走近北斗导航", team__name="博士科普团")


def _ask(client, topic, **changes):
    data = {
        "topic_text": "<b>我们自己想的题目</b>",
        "organisation": "新仓镇中心小学",
        "town": TownFactory(name="新仓镇").pk,
        "contact_name": "李老师",
        "contact_phone": PHONE,
        "preferred_date": "2026-06-20",
        "audience": AudienceFactory().pk,
        "expected_attendance": 120,
        **changes,
    }
    return client.post(topic.team.get_absolute_url(), data, follow=True)


def test_the_requester_lands_on_its_private_status_page(
    client, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, topic)
    request = LectureRequest.objects.get()
    assert response.redirect_chain == [(request.get_absolute_url(), 302)]
    body = response.content.decode()
    assert "点单申请已提交。" in body
    assert "待受理" in body
    assert response["X-Robots-Tag"] == "noindex"
    [(phone, text)] = sent_sms(PHONE)
    assert f"https://kexie.test{request.get_absolute_url()}" in text
    # The number is not proven: nothing the requester typed goes back to it.
    assert "我们自己想的题目" not in text
    assert "新仓镇中心小学" not in text
    assert "李老师" not in text


def test_staffs_answer_shows_on_the_page_accepted(
    client, topic, staff_user, django_capture_on_commit_callbacks
):
    request = _request(topic)
    starts = datetime(2026, 6, 20, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with django_capture_on_commit_callbacks(execute=True):
        event = lecture_request_accept(
            request=request,
            by=staff_user,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1, minutes=30),
            publish=True,
        )
    body = client.get(request.get_absolute_url()).content.decode()
    assert "讲座已经安排好了。" in body
    assert "2026年6月20日" in body
    assert f'href="{event.get_absolute_url()}"' in body
    texts = [text for _, text in sent_sms(PHONE)]
    assert "已安排在6月20日 14:00" in texts[-1]
    assert f"https://kexie.test{request.get_absolute_url()}" in texts[-1]


def test_a_draft_event_is_not_linked(client, topic, staff_user):
    request = _request(topic)
    starts = datetime(2026, 6, 20, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    event = lecture_request_accept(
        request=request, by=staff_user, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    body = client.get(request.get_absolute_url()).content.decode()
    assert event.get_absolute_url() not in body


def test_staffs_answer_shows_on_the_page_declined(
    client, topic, staff_user, django_capture_on_commit_callbacks
):
    request = _request(topic)
    with django_capture_on_commit_callbacks(execute=True):
        lecture_request_decline(
            request=request, by=staff_user, reason="讲师六月档期已满，请改选七月"
        )
    body = client.get(request.get_absolute_url()).content.decode()
    assert "很抱歉，这次未能安排。" in body
    assert "讲师六月档期已满，请改选七月" in body
    text = sent_sms(PHONE)[-1][1]
    assert "暂时无法安排" in text
    assert request.code in text


@pytest.mark.parametrize("code", ["forged-code", "a" * 22, "x" * 200])
def test_a_forged_code_is_not_found(client, topic, code):
    _request(topic)
    url = reverse("outreach:lecture_request_status", args=[code])
    assert client.get(url).status_code == 404


def test_each_request_gets_its_own_unguessable_code(topic):
    codes = {_request(topic).code for _ in range(3)}
    assert len(codes) == 3
    assert all(len(code) >= 20 for code in codes)


def test_bad_input_on_the_request_form_changes_nothing(client, topic):
    response = _ask(client, topic, contact_phone="123", expected_attendance="many")
    assert response.status_code == 400
    assert "请输入有效的11位手机号码。" in response.content.decode()
    assert not LectureRequest.objects.exists()


def _request(topic) -> LectureRequest:
    from outreach.services.speakers import lecture_request_create

    return lecture_request_create(
        team=topic.team,
        topic=topic,
        organisation="新仓镇中心小学",
        town=TownFactory(name="新仓镇"),
        contact_name="李老师",
        contact_phone=PHONE,
        preferred_date=(NOW + timedelta(days=20)).date(),
        audience=AudienceFactory(),
        expected_attendance=120,
    )


def test_a_request_made_on_the_english_page_is_answered_in_english(
    client, topic, staff_user, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, topic)
    request = LectureRequest.objects.get()
    assert request.language == "en"
    starts = datetime(2026, 6, 20, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with django_capture_on_commit_callbacks(execute=True):
        lecture_request_accept(
            request=request, by=staff_user, starts_at=starts, ends_at=starts + timedelta(hours=1)
        )
    received, accepted = [text for _, text in sent_sms(PHONE)]
    assert "We have received your request for a popular-science talk" in received
    assert "is arranged for" in accepted
    assert "已收到" not in received and "已安排在" not in accepted


def test_a_request_made_on_the_chinese_page_is_answered_in_chinese(
    client, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, topic)
    assert LectureRequest.objects.get().language == "zh-hans"
    [(_phone, text)] = sent_sms(PHONE)
    assert "已收到您的科普讲座点单申请" in text


def test_a_request_with_mistakes_comes_back_at_the_form_not_at_the_top(client, topic):
    # On a phone the form is a screen or more below the team's topics: the
    # page comes back scrolled to it, its errors in view (engineer public13).
    response = client.post(topic.team.get_absolute_url(), {"organisation": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert '<aside class="col-lg-5" id="request">' in body
    assert f'action="{topic.team.get_absolute_url()}#request"' in body
    assert not LectureRequest.objects.exists()
