"""The first day of a parent and of staff, in Chromium, at 390 px (a phone)
and at 1366 px (a desk), each from records and accounts made in the test and
ending in a goal state read from the database. Screenshots are kept under
build/screenshots/.

- A parent finds a weekend event for children, signs up a family of three when
  only two seats are left (chooses two), loses the link and finds it again by
  phone number and code, and cancels.
- Staff work through the workbench: review a need, answer a lecture request,
  check people in on a phone.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from experts.models import TechNeed
from experts.services import needs
from outreach.models import Audience, Event, LectureRequest, Registration
from outreach.services.registrations import registration_create
from outreach.services.speakers import lecture_request_create
from tests.browser.helpers import load_reference_data, log_in
from tests.experts.factories import EnterpriseFactory, NeedFactory
from tests.factories import TownFactory, UserFactory
from tests.helpers import sent_sms
from tests.outreach.factories import (
    AudienceFactory,
    EventFactory,
    LectureTopicFactory,
    SpeakerTeamFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SH = ZoneInfo("Asia/Shanghai")
# A Wednesday morning in Pinghu; the clock runs on from there.
WEDNESDAY = datetime(2026, 9, 16, 9, 30, tzinfo=SH)
SATURDAY = datetime(2026, 9, 19, 9, 30, tzinfo=SH)
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 900}}


@pytest.fixture(params=sorted(SIZES))
def screen(request, browser, live_server):
    """A page at one screen size: ``(name, page)``."""
    name = request.param
    phone = name == "phone"
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport=SIZES[name],
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield name, page
    context.close()


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=True):
        yield


def _code_sent_to(phone: str) -> str:
    return re.search(r"验证码(\d{6})，", sent_sms(phone)[-1][1]).group(1)


def test_a_parent_finds_a_weekend_event_signs_up_recovers_the_link_and_cancels(
    screen, wednesday, shoot
):
    _size, page = screen
    load_reference_data()
    youth = AudienceFactory(code=Audience.Code.YOUTH)
    seniors = AudienceFactory(code=Audience.Code.SENIORS)
    town = TownFactory(name="当湖街道")
    venue = VenueFactory(name="平湖市青少年宫", town=town)
    kids = EventFactory(
        title="周六亲子机器人课",
        kind=Event.Kind.WEEKEND_CLASS,
        audiences=[youth],
        venue=venue,
        starts_at=SATURDAY,
        ends_at=SATURDAY + timedelta(hours=2),
        capacity=5,
        max_party_size=3,
    )
    EventFactory(
        title="周六老年人防诈骗讲座",
        audiences=[seniors],
        starts_at=SATURDAY,
        ends_at=SATURDAY + timedelta(hours=1),
    )
    EventFactory(
        title="周四青少年科普讲座",
        audiences=[youth],
        starts_at=WEDNESDAY + timedelta(days=1),
        ends_at=WEDNESDAY + timedelta(days=1, hours=1),
    )
    registration_create(event=kids, name="李家", phone="13800001111", party_size=3)
    phone = "13912345678"

    # Find it: two taps on the quick choices.
    page.goto("/events/")
    shoot(page, "1-list")
    page.get_by_role("link", name="本周末").click()
    page.wait_for_url(re.compile(r"period=weekend"))
    page.get_by_role("link", name="适合孩子").click()
    page.wait_for_url(re.compile(r"who=children"))
    cards = page.locator("article.event-card")
    assert cards.count() == 1
    assert "周六亲子机器人课" in cards.first.inner_text()
    shoot(page, "2-weekend-for-children")

    # Three of them, two seats left: asked, not silently waitlisted.
    page.get_by_role("link", name="周六亲子机器人课").click()
    page.wait_for_url(f"**/events/{kids.pk}/")
    page.get_by_label("姓名").fill("王小明家长")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("参加人数").fill("3")
    page.get_by_role("button", name="提交报名").click()
    page.get_by_text("只剩2个名额，不够3人。").wait_for()
    assert page.get_by_role("button", name="3 人全部进入候补名单").is_visible()
    assert not Registration.objects.filter(phone=phone).exists()
    shoot(page, "3-fewer-seats")
    page.get_by_role("button", name="只报名 2 人").click()
    page.wait_for_url(re.compile(r"/events/r/[^/]+/"))
    page.get_by_text("报名成功").wait_for()
    mine = Registration.objects.get(phone=phone)
    assert (mine.status, mine.party_size) == (Registration.Status.CONFIRMED, 2)
    shoot(page, "4-signed-up")

    # The link is lost (another browser, no history): found again by phone and code.
    page.context.clear_cookies()
    page.goto("/events/")
    page.get_by_role("link", name="找回报名").click()
    page.get_by_label("报名时填写的手机号码").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("短信验证码").fill(_code_sent_to(phone))
    shoot(page, "5-code")
    page.get_by_role("button", name="验证并查看我的报名").click()
    page.get_by_role("link", name="周六亲子机器人课").click()
    page.wait_for_url(f"**{mine.get_absolute_url()}")
    shoot(page, "6-found-again")

    # Cancel, after a confirmation page.
    page.get_by_role("link", name="取消报名").click()
    shoot(page, "7-confirm-cancel")
    page.get_by_role("button", name="确认取消报名").click()
    page.get_by_text("报名已取消。").wait_for()
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert page.locator(".qr svg").count() == 0
    assert page.get_by_role("link", name="加入日历（.ics）").count() == 0
    shoot(page, "8-cancelled")


def test_staff_review_a_need_answer_a_lecture_request_and_check_people_in(screen, wednesday, shoot):
    _size, page = screen
    load_reference_data()
    UserFactory(name="值班员", role="staff", is_staff=True, email="duty@example.cn")
    owner = UserFactory(name="陈经理", role="enterprise", email="chen@example.cn")
    need = NeedFactory(title="储能电池低温衰减求助", enterprise=EnterpriseFactory(users=[owner]))
    needs.need_submit(need=need, by=owner)
    team = SpeakerTeamFactory(name="平湖博士科普团")
    lecture = lecture_request_create(
        team=team,
        topic=LectureTopicFactory(team=team, title="走近北斗导航"),
        organisation="新仓镇中心小学",
        town=TownFactory(name="新仓镇"),
        contact_name="李老师",
        contact_phone="13955556666",
        preferred_date=(WEDNESDAY + timedelta(days=20)).date(),
        audience=AudienceFactory(),
        expected_attendance=120,
    )
    today = EventFactory(
        title="今晚航天科普讲座",
        starts_at=WEDNESDAY + timedelta(hours=9),
        ends_at=WEDNESDAY + timedelta(hours=11),
        capacity=30,
    )
    family = registration_create(event=today, name="钱家", phone="13933335678", party_size=3)

    log_in(page, "duty@example.cn", next_url="")
    page.wait_for_url("**/staff/")
    shoot(page, "1-workbench")

    # Review a need: open it from the workbench and publish it.
    page.get_by_role("link", name="储能电池低温衰减求助").click()
    page.get_by_role("button", name="审核通过并发布").click()
    page.get_by_text("需求已发布。").wait_for()
    need.refresh_from_db()
    assert need.status == TechNeed.Status.PUBLISHED
    shoot(page, "2-need-published")

    # Answer a lecture request: it cannot be arranged, after a confirmation.
    page.goto("/staff/")
    page.get_by_role("link", name="新仓镇中心小学 · 走近北斗导航").click()
    page.get_by_label("未能安排的原因").fill("讲师十月前档期已满，欢迎改约十一月")
    page.get_by_role("button", name="回复申请单位").click()
    shoot(page, "3-confirm-decline")
    page.get_by_role("button", name="确认回复").click()
    page.get_by_text("已回复申请单位。").wait_for()
    lecture.refresh_from_db()
    assert lecture.status == LectureRequest.Status.DECLINED
    shoot(page, "4-answered")

    # Check a family in at the door, from the workbench.
    page.goto("/staff/")
    page.get_by_role("link", name="现场签到 今晚航天科普讲座").click()
    page.get_by_label("报名码、姓名或手机后四位").fill("5678")
    page.get_by_role("button", name="查找").click()
    page.get_by_text("钱家").wait_for()
    page.get_by_label("到场人数").fill("2")
    page.get_by_role("button", name="签到", exact=True).click()
    page.get_by_text("钱家 已签到 2/3 人。").wait_for()
    shoot(page, "5-checked-in")
    family.refresh_from_db()
    assert (family.status, family.attended_count) == (Registration.Status.ATTENDED, 2)
