"""Browser journeys of popular-science events: a family signs up on a phone and
cancels, staff check parties in at the door, a branch manager edits events in
the admin."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import Audience, Event, Registration
from outreach.services.registrations import registration_create
from tests.browser.helpers import load_reference_data, log_in
from tests.factories import BranchFactory, OrgManagerFactory, UserFactory
from tests.helpers import sent_sms
from tests.outreach.factories import AudienceFactory, EventFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _upcoming(days: int = 5, **fields) -> Event:
    starts = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    starts = starts + timedelta(days=days) if days else timezone.now() + timedelta(hours=1)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)


def test_visitor_on_a_phone_signs_up_cancels_and_the_waiting_family_is_promoted(phone_page, shoot):
    page = phone_page
    load_reference_data()
    youth = AudienceFactory(code=Audience.Code.YOUTH)
    elders = AudienceFactory(code=Audience.Code.SENIORS)
    venue = VenueFactory(name="平湖市科技馆")
    weekend = _upcoming(
        title="周末亲子机器人课",
        kind=Event.Kind.WEEKEND_CLASS,
        audiences=[youth],
        venue=venue,
        capacity=3,
        max_party_size=3,
    )
    _upcoming(title="老年人防诈骗讲座", kind=Event.Kind.LECTURE, audiences=[elders])
    _upcoming(title="青少年科普讲座", kind=Event.Kind.LECTURE, audiences=[youth])

    page.goto("/events/")
    shoot(page, "1-list")
    # On a phone the full filters are folded away below the quick choices.
    page.get_by_text("更多筛选条件").click()
    page.get_by_label("活动类型").select_option(label="周末课堂")
    page.get_by_label("面向人群").select_option(label=str(youth.name))
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"kind=weekend_class"))
    cards = page.locator("article.event-card")
    assert cards.count() == 1
    assert "周末亲子机器人课" in cards.first.inner_text()
    shoot(page, "2-filtered")

    page.get_by_role("link", name="周末亲子机器人课").click()
    page.wait_for_url(f"**/events/{weekend.pk}/")
    page.get_by_label("姓名").fill("王小明家长")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("参加人数").fill("3")
    shoot(page, "3-form")
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url(re.compile(r"/events/r/[^/]+/"))
    registration = Registration.objects.get(phone="13912345678")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.party_size == 3
    assert page.get_by_text("报名成功").is_visible()
    assert page.locator(".qr svg").is_visible()
    shoot(page, "4-confirmation")

    # Another family arrives when the class is full and waits.
    waiting = registration_create(
        event=weekend, name="李家", phone="13800001111", party_size=2, email=""
    )
    assert waiting.status == Registration.Status.WAITLISTED
    private_link = page.url

    # Later, from the private link in the confirmation message.
    page.goto("/")
    page.goto(private_link)
    assert page.get_by_text("王小明家长").is_visible()
    page.get_by_role("link", name="取消报名").click()
    page.get_by_role("button", name="确认取消报名").click()
    page.wait_for_load_state()
    assert page.get_by_text("报名已取消。").is_visible()
    shoot(page, "5-cancelled")

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert any("周末亲子机器人课" in text for _, text in sent_sms("13800001111")[1:])


def test_staff_check_parties_in_by_code_and_by_last_four_phone_digits(page, shoot):
    UserFactory(name="签到员", role="staff", is_staff=True, email="door@example.cn")
    event = _upcoming(days=0, title="航天科普讲座", capacity=20)
    by_code = registration_create(
        event=event, name="赵家", phone="13911112222", party_size=3, email=""
    )
    by_phone = registration_create(
        event=event, name="钱家", phone="13933335678", party_size=2, email=""
    )

    log_in(page, "door@example.cn", next_url=f"/staff/events/{event.pk}/check-in/")
    page.wait_for_url(f"**/staff/events/{event.pk}/check-in/")
    shoot(page, "1-door")

    page.get_by_label("报名码、姓名或手机后四位").fill(by_code.code)
    page.get_by_role("button", name="查找").click()
    page.get_by_text("赵家").wait_for()
    page.get_by_role("button", name="签到", exact=True).click()
    page.get_by_text("赵家 已签到 3/3 人。").wait_for()
    shoot(page, "2-by-code")

    page.get_by_label("报名码、姓名或手机后四位").fill("5678")
    page.get_by_role("button", name="查找").click()
    page.get_by_text("钱家").wait_for()
    page.get_by_label("到场人数").fill("1")
    page.get_by_role("button", name="签到", exact=True).click()
    page.get_by_text("钱家 已签到 1/2 人。").wait_for()
    assert page.locator("[data-count=present]").inner_text() == "4"
    shoot(page, "3-by-phone")

    by_code.refresh_from_db()
    by_phone.refresh_from_db()
    assert (by_code.status, by_code.attended_count) == (Registration.Status.ATTENDED, 3)
    assert (by_phone.status, by_phone.attended_count) == (Registration.Status.ATTENDED, 1)


def test_branch_manager_edits_own_event_in_the_admin_and_cannot_open_another(page, shoot):
    branch = BranchFactory(name="当湖街道科协")
    OrgManagerFactory(user__email="manager@example.cn", user__name="街道管理员", branch=branch)
    own = _upcoming(title="当湖街道亲子科学课", branch=branch)
    other = _upcoming(title="别的街道的讲座", branch=BranchFactory(name="乍浦镇科协"))

    log_in(page, "manager@example.cn", next_url="/admin/outreach/event/")
    page.wait_for_url("**/admin/outreach/event/")
    assert page.get_by_role("link", name="当湖街道亲子科学课").is_visible()
    assert page.get_by_text("别的街道的讲座").count() == 0
    shoot(page, "1-changelist")

    page.get_by_role("link", name="当湖街道亲子科学课").click()
    page.wait_for_url(f"**/admin/outreach/event/{own.pk}/change/")
    page.locator("#id_title").fill("当湖街道亲子科学课（改期）")
    shoot(page, "2-change-form")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/outreach/event/")
    own.refresh_from_db()
    assert own.title == "当湖街道亲子科学课（改期）"
    shoot(page, "3-saved")

    response = page.goto(f"/admin/outreach/event/{other.pk}/change/")
    assert "别的街道的讲座" not in page.content()
    assert response.status == 404
    page.locator("#id_title").wait_for(state="detached")
    shoot(page, "4-other-branch")
    other.refresh_from_db()
    assert other.title == "别的街道的讲座"
