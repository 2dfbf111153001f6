"""Staff answer lecture requests from the workbench: bad input gets a clear
message and changes nothing, before and after the confirmation step."""

from datetime import timedelta

import pytest
from django.urls import reverse

from outreach.models import Event, LectureRequest
from outreach.services.speakers import lecture_request_create
from tests.factories import TownFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import AudienceFactory, LectureTopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture(db):
    topic = LectureTopicFactory(title="走近北斗导航")
    return lecture_request_create(
        team=topic.team,
        topic=topic,
        organisation="新仓镇中心小学",
        town=TownFactory(name="新仓镇"),
        contact_name="李老师",
        contact_phone="13955556666",
        preferred_date=(NOW + timedelta(days=20)).date(),
        audience=AudienceFactory(),
        expected_attendance=120,
    )


def _url(lecture):
    return reverse("outreach:staff_lecture_request", args=[lecture.pk])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decline-reason": ""}, "请说明未能安排的原因。"),
        ({"decline-reason": "很长" * 101}, "原因最多200个字。"),
        ({"decline-reason": "", "confirmed": "yes"}, "请说明未能安排的原因。"),
    ],
)
def test_a_decline_without_a_good_reason_is_refused(staff_client, lecture, data, message):
    response = staff_client.post(_url(lecture), {"action": "decline", **data})
    assert message in response.content.decode()
    lecture.refresh_from_db()
    assert lecture.status == LectureRequest.Status.SUBMITTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"accept-starts_at": "2026-06-20T14:00", "accept-ends_at": "2026-06-20T13:00"},
            "结束时间必须晚于开始时间。",
        ),
        (
            {"accept-starts_at": "2026-05-20T14:00", "accept-ends_at": "2026-05-20T15:00"},
            "开始时间应晚于现在。",
        ),
        ({"accept-starts_at": "明天下午", "accept-ends_at": ""}, "输入一个有效的日期/时间。"),
        (
            {
                "accept-starts_at": "2026-06-20T14:00",
                "accept-ends_at": "2026-06-20T15:00",
                "accept-capacity": "0",
            },
            "确保该值大于或等于1。",
        ),
    ],
)
def test_an_accept_with_bad_times_is_refused_even_when_confirmed(
    staff_client, lecture, data, message
):
    for confirmed in ({}, {"confirmed": "yes"}):
        response = staff_client.post(_url(lecture), {"action": "accept", **data, **confirmed})
        assert message in response.content.decode()
    lecture.refresh_from_db()
    assert lecture.status == LectureRequest.Status.SUBMITTED
    assert not Event.objects.exists()


def test_an_answered_request_cannot_be_answered_again(staff_client, lecture):
    url = _url(lecture)
    staff_client.post(url, {"action": "decline", "decline-reason": "档期已满", "confirmed": "yes"})
    response = staff_client.post(
        url,
        {
            "action": "accept",
            "accept-starts_at": "2026-06-20T14:00",
            "accept-ends_at": "2026-06-20T15:00",
            "confirmed": "yes",
        },
        follow=True,
    )
    assert "该申请已经处理过了。" in response.content.decode()
    lecture.refresh_from_db()
    assert lecture.status == LectureRequest.Status.DECLINED
    assert not Event.objects.exists()


def test_the_staff_list_of_requests_ignores_an_unknown_status(staff_client, lecture):
    response = staff_client.get(reverse("outreach:staff_lecture_requests"), {"status": "<x>"})
    assert response.status_code == 200
    assert "新仓镇中心小学" in response.content.decode()
