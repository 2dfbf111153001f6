"""What an outsider met on a phone in production mode that the other journeys
did not: each test names the page and what went wrong there."""

import pytest

from kexie.platform.outbox.models import Notification
from tests.browser.helpers import log_in
from tests.factories import UserFactory
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912345678"


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_account_page_fits_a_phone_with_a_private_link_in_a_message(phone_page, shoot):
    UserFactory(name="王小明", phone=PHONE, email="wang@example.cn")
    Notification.objects.create(
        channel=Notification.Channel.SMS,
        recipient=PHONE,
        body="报名成功：入场二维码及取消：https://kexie.example.cn/events/r/nAXg97QOBHHqgWTFnGwAJw/",
    )
    log_in(phone_page, PHONE, next_url="/privacy/account/")
    phone_page.wait_for_url("**/privacy/account/")
    phone_page.get_by_text("nAXg97QOBHHqgWTFnGwAJw", exact=False).wait_for()
    shoot(phone_page, "account")
    assert _overflow(phone_page) <= 0


def test_chromium_understands_every_feature_of_the_permissions_policy(page):
    # An unknown feature is an error in the console of every page.
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Permissions-Policy" in message.text else None
        ),
    )
    page.goto("/")
    page.goto("/events/")
    assert complaints == []


def test_the_staff_reports_fit_a_phone(phone_page, shoot):
    UserFactory(name="值班员", role="staff", is_staff=True, email="duty@example.cn")
    log_in(phone_page, "duty@example.cn", next_url="/staff/reports/")
    phone_page.wait_for_url("**/staff/reports/")
    phone_page.locator("section.report-table").first.wait_for()
    shoot(phone_page, "reports")
    assert _overflow(phone_page) <= 0


def _squeezed_cells(page) -> list[str]:
    """Cells of a staff table whose words were broken one character a line."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-keep-words td, .table-responsive th')]
            .map(cell => {
              // What shows: text outside visually hidden labels, and its lines.
              const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
              let text = '';
              const lines = new Set();
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (node.parentElement.closest('.visually-hidden') || !node.data.trim()) continue;
                text += node.data.trim();
                const range = document.createRange();
                range.selectNodeContents(node);
                for (const rect of range.getClientRects()) lines.add(Math.round(rect.top));
              }
              return {text, lines: lines.size};
            })
            .filter(cell => cell.text.length >= 2 && cell.lines >= cell.text.length)
            .map(cell => cell.text)"""
    )


def test_the_sign_up_list_of_an_event_reads_on_a_phone(phone_page, shoot):
    UserFactory(name="值班员", role="staff", is_staff=True, email="duty@example.cn")
    event = EventFactory(title="STEAM科普课程：航模设计与制作", capacity=20)
    for name in ("黄玉兰", "徐浩然", "欧阳明月"):
        RegistrationFactory(event=event, name=name)
    log_in(phone_page, "duty@example.cn", next_url=f"/staff/events/{event.pk}/registrations/")
    phone_page.wait_for_url(f"**/staff/events/{event.pk}/registrations/")
    phone_page.get_by_role("cell", name="欧阳明月", exact=True).wait_for()
    shoot(phone_page, "registrations")
    # The table scrolls sideways; the page does not, and no name, status or
    # heading is broken into a column of single characters.
    assert _overflow(phone_page) <= 0
    assert _squeezed_cells(phone_page) == []


def test_long_recommendation_reasons_wrap_on_a_phone_in_english(phone_page, shoot):
    """The expert's dashboard on a phone, in English: "Same field: Engineering and
    technology sciences related to information and systems science, …" was one
    unbreakable badge, wider than the screen."""
    from experts.services import needs
    from tests.browser.helpers import load_reference_data
    from tests.experts.factories import (
        EnterpriseFactory,
        ExpertFactory,
        NeedFactory,
        discipline,
    )

    load_reference_data()
    fields = [discipline(code) for code in ("413", "416", "460")]
    staff = UserFactory(name="审核员", role="staff", is_staff=True, email="review@example.cn")
    expert_user = UserFactory(name="张工", role="expert", email="zhang@example.cn")
    ExpertFactory(name="张工", user=expert_user, fields=fields)
    owner = UserFactory(name="陈经理", role="enterprise", email="chen@example.cn")
    need = NeedFactory(
        title="产线数据采集", fields=fields, enterprise=EnterpriseFactory(users=[owner])
    )
    needs.need_submit(need=need, by=owner)
    needs.need_publish(need=need, by=staff)

    log_in(phone_page, "zhang@example.cn", next_url="/bang/my/expert/")
    phone_page.goto("/language/en/?next=/bang/my/expert/")
    phone_page.get_by_text("Same field:", exact=False).first.wait_for()
    shoot(phone_page, "expert-dashboard")
    assert _overflow(phone_page) <= 0
