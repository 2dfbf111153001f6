"""Browser journeys after the event: a parent on a phone gives feedback and
downloads the certificate; a person requests and deletes their data."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from outreach.models import Event, FeedbackResponse, Registration
from outreach.services.feedback import feedback_sweep
from tests.browser.helpers import load_reference_data
from tests.helpers import sent_sms
from tests.outreach.factories import EventFactory, RegistrationFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912345678"


def _held_youth_event() -> Event:
    ended = timezone.now() - timedelta(hours=4)
    return EventFactory(
        title="青少年航模实践营",
        kind=Event.Kind.STEAM,
        venue=VenueFactory(name="平湖市科技馆"),
        starts_at=ended - timedelta(hours=3),
        ends_at=ended,
        gives_certificate=True,
        certificate_hours=Decimal("3.0"),
    )


def test_parent_on_a_phone_gives_feedback_and_downloads_the_certificate(phone_page, shoot):
    page = phone_page
    load_reference_data()
    event = _held_youth_event()
    RegistrationFactory(
        event=event, name="王小明", phone=PHONE, status="attended", attended_count=2, party_size=2
    )
    assert feedback_sweep() == 1
    [(_to, text)] = sent_sms(PHONE)
    link = re.search(r"(/events/feedback/[^/\s]+/)", text).group(1)

    page.goto(link)
    shoot(page, "1-survey")
    page.locator("label", has_text="很满意").first.click()
    page.get_by_text("会", exact=True).click()
    page.get_by_label("还有什么意见或建议？").fill("孩子很喜欢，希望多办几场")
    page.get_by_role("button", name="提交反馈").click()
    page.get_by_text("已收到您的反馈").first.wait_for()
    shoot(page, "2-thanks")
    assert FeedbackResponse.objects.filter(event=event).count() == 1

    code = Registration.objects.get(phone=PHONE).code
    page.goto(f"/events/r/{code}/")
    page.get_by_role("link", name="查看参加证明").click()
    page.get_by_role("heading", name="参加证明").wait_for()
    assert page.get_by_text("志愿/实践时长：3小时").is_visible()
    shoot(page, "3-certificate")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    with page.expect_download() as download:
        page.get_by_role("link", name="下载PDF（A4，可打印）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    check = page.locator(".qr svg")
    assert check.is_visible()


def test_person_requests_and_deletes_their_data(page, shoot):
    load_reference_data()
    event = _held_youth_event()
    RegistrationFactory(event=event, name="王小明", phone=PHONE, status="attended")

    page.goto("/privacy/")
    assert page.get_by_text("个人信息告知").is_visible()
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url("**/privacy/code/")
    code = re.search(r"验证码(\d{6})，", sent_sms(PHONE)[-1][1]).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="验证").click()
    page.wait_for_url("**/privacy/mine/")
    assert page.get_by_text("青少年航模实践营").first.is_visible()
    shoot(page, "1-mine")
    page.get_by_label("我明白：删除后无法恢复，专属链接和参加证明将失效。").check()
    page.get_by_role("button", name="永久删除").click()
    page.wait_for_url("**/privacy/")
    page.get_by_text("已删除与手机号码139****5678相关的个人信息").wait_for()
    shoot(page, "2-deleted")
    assert not Registration.objects.filter(phone=PHONE).exists()
    assert Registration.objects.filter(event=event).count() == 1


def test_a_family_on_a_phone_signs_up_for_a_popular_event_with_a_code(phone_page, shoot):
    from tests.browser.conftest import axe_violations

    page = phone_page
    load_reference_data()
    starts = timezone.now() + timedelta(days=3)
    event = EventFactory(
        title="院士进校园",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        signup_needs_code=True,
    )
    page.goto(event.get_absolute_url())
    page.get_by_label("姓名").fill("王小明家长")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="提交报名").click()
    # Refused until the number is proven: what was typed is kept, and why.
    page.get_by_text("本活动报名需要验证手机号码：验证码已发送到139****5678").wait_for()
    assert page.get_by_label("姓名").input_value() == "王小明家长"
    shoot(page, "1-code-sent")
    assert not axe_violations(page)
    [(_to, text)] = sent_sms(PHONE)
    code = re.search(r"验证码(\d{6})，", text).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="提交报名").click()
    page.get_by_text("报名成功").first.wait_for()
    shoot(page, "2-signed-up")
    assert Registration.objects.get(event=event).phone == PHONE


def test_a_signed_in_person_downloads_and_closes_their_account(page, shoot):
    from kexie.platform.accounts.models import User
    from tests.browser.conftest import axe_violations
    from tests.browser.helpers import log_in
    from tests.factories import UserFactory

    load_reference_data()
    person = UserFactory(name="王小明", phone=PHONE, email="wang@example.cn")
    RegistrationFactory(event=_held_youth_event(), name="王小明", phone=PHONE, status="attended")
    log_in(page, "wang@example.cn")
    page.get_by_role("link", name="王小明").click()
    page.get_by_role("heading", name="我的账户与个人信息").wait_for()
    assert page.get_by_text("青少年航模实践营").is_visible()
    shoot(page, "1-account")
    assert not axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出（JSON文件）").click()
    from pathlib import Path

    assert "青少年航模实践营" in Path(download.value.path()).read_text(encoding="utf-8")
    page.get_by_label("登录密码").fill("correct-horse-battery-staple")
    page.get_by_label("我明白").check()
    page.get_by_role("button", name="永久注销账户").click()
    page.get_by_text("账户已注销").wait_for()
    shoot(page, "2-closed")
    person.refresh_from_db()
    assert not person.is_active and person.name == "（已注销）"
    assert not User.objects.filter(phone=PHONE).exists()
    assert Registration.objects.get().name != "王小明"
