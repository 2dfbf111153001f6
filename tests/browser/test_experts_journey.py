"""The closed loop of 科协帮 in a browser: an enterprise's need travels from
registration to a rated service, and the public board counts it."""

import re

import pytest
from django.utils import timezone

from experts.models import Enterprise, TechNeed
from tests.browser.helpers import load_reference_data, log_in
from tests.experts.factories import ExpertFactory, KeywordFactory, credit_code, discipline
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_emails

pytestmark = pytest.mark.django_db(transaction=True)

# A PDF is recognised by its content, not its name.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()``: a page in a browser context of its own (its own log-in)."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def _figures(page) -> dict[str, str]:
    page.goto("/bang/")
    cards = page.locator(".figure-card")
    return {
        cards.nth(i).locator(".text-muted").inner_text(): cards.nth(i)
        .locator(".display-6")
        .inner_text()
        for i in range(cards.count())
    }


def _add_service_log(page, need: TechNeed, summary: str) -> None:
    page.goto(f"/bang/needs/{need.pk}/engagement/")
    page.get_by_label("方式").select_option(index=0)
    page.get_by_label("日期").fill(timezone.localdate().isoformat())
    page.get_by_label("内容").fill(summary)
    page.get_by_role("button", name="添加").click()
    page.get_by_text("服务记录已添加。").wait_for()


def test_need_travels_the_closed_loop_and_the_board_counts_it(new_page, shoot):
    load_reference_data()
    materials = discipline("430")
    battery = KeywordFactory(name="锂离子电池", synonyms="锂电池、锂电")
    UserFactory(name="审核员", role="staff", is_staff=True, email="reviewer@example.cn")
    expert_user = UserFactory(name="张储能", role="expert", email="zhang@example.cn")
    expert = ExpertFactory(name="张储能", user=expert_user, fields=[materials], keywords=[battery])

    visitor = new_page()
    before = _figures(visitor)
    shoot(visitor, "1-board-before")

    # The enterprise opens an account, then registers the company.
    owner = new_page()
    owner.goto("/accounts/register/")
    owner.locator("#id_name").fill("陈经理")
    owner.locator("#id_email").fill("chen@example.cn")
    owner.locator("#id_role").select_option("enterprise")
    owner.locator("#id_password1").fill(TEST_PASSWORD)
    owner.locator("#id_password2").fill(TEST_PASSWORD)
    owner.get_by_role("button", name="注册", exact=True).click()
    owner.wait_for_url("**/")
    owner.goto("/bang/enterprise/register/")
    owner.get_by_label("企业名称").fill("平湖储能科技有限公司")
    owner.get_by_label("统一社会信用代码").fill(credit_code(4242))
    owner.get_by_label("行业").select_option(index=1)
    owner.get_by_label("规模").select_option(index=1)
    owner.get_by_label("联系人").fill("陈经理")
    owner.get_by_label("联系电话").fill("13955556666")
    shoot(owner, "2-enterprise-form")
    owner.get_by_role("button", name="登记").click()
    # The profile leads straight on to the first need.
    owner.wait_for_url("**/bang/needs/new/")
    assert Enterprise.objects.filter(name="平湖储能科技有限公司").exists()

    # It posts a need, attaches a file and submits it for review.
    owner.goto("/bang/needs/new/")
    owner.get_by_label("需求名称").fill("储能电池循环寿命提升")
    owner.get_by_label("公开摘要").fill("希望提升锂离子电池在高温下的循环寿命。")
    owner.get_by_label("详细内容（保密）").fill("现有电芯在45度下循环500次后容量衰减明显。")
    owner.get_by_label("需求类型").select_option("research")
    # Fields are chosen in plain words: the picker finds 材料科学 for 电池.
    owner.get_by_label("用平常的话搜索领域").fill("电池")
    owner.locator("[data-picker-results]").get_by_role("button", name="材料科学").click()
    owner.get_by_label("关键词").fill("锂离子电池")
    shoot(owner, "3-need-form")
    owner.get_by_role("button", name="保存", exact=True).click()
    owner.wait_for_url(re.compile(r"/bang/needs/\d+/"))
    need = TechNeed.objects.get(title="储能电池循环寿命提升")
    owner.locator("#id_file").set_input_files(
        {"name": "测试报告.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    owner.get_by_role("button", name="上传附件").click()
    owner.get_by_text("附件已上传。").wait_for()
    owner.get_by_role("button", name="提交审核").click()
    owner.get_by_role("button", name="撤回需求").wait_for()
    need.refresh_from_db()
    assert need.status == TechNeed.Status.SUBMITTED
    assert need.attachments.count() == 1
    shoot(owner, "4-submitted")

    # Staff review it from their queue, publish it and invite a recommended expert.
    staff = new_page()
    log_in(staff, "reviewer@example.cn", next_url="/bang/staff/")
    staff.wait_for_url("**/bang/staff/")
    staff.get_by_role("link", name="储能电池循环寿命提升").first.click()
    staff.get_by_role("button", name="审核通过并发布").click()
    staff.get_by_role("heading", name="推荐专家").wait_for()
    shoot(staff, "5-published")
    recommended = staff.locator("section", has=staff.get_by_role("heading", name="推荐专家"))
    recommended.locator("li", has_text="张储能").get_by_role("button", name="邀请").click()
    staff.get_by_role("heading", name="已邀请专家").wait_for()
    need.refresh_from_db()
    assert need.status == TechNeed.Status.MATCHED
    assert sent_emails("zhang@example.cn") or sent_emails(expert.contact_email)

    # The invited expert responds.
    specialist = new_page()
    log_in(specialist, "zhang@example.cn", next_url="/bang/my/expert/")
    specialist.wait_for_url("**/bang/my/expert/")
    specialist.get_by_role("link", name="储能电池循环寿命提升").first.click()
    specialist.get_by_role("link", name="提交响应").click()
    if "/confidentiality/" in specialist.url:
        specialist.get_by_role("button", name="我已阅读并同意").click()
        specialist.get_by_role("link", name="提交响应").click()
    specialist.get_by_label("解决思路").fill("先做失效分析，再调整电解液配方。")
    specialist.get_by_label("预计周期").fill("3个月")
    shoot(specialist, "6-response")
    specialist.locator("main form button[type=submit]").click()
    specialist.get_by_text("响应已提交").wait_for()

    # The enterprise accepts; both sides log their service.
    owner.goto(need.get_absolute_url())
    owner.get_by_role("button", name="采纳该响应").click()
    # Choosing cannot be undone: the portal asks first.
    owner.get_by_role("button", name="确认采纳").click()
    owner.wait_for_url(f"**/bang/needs/{need.pk}/engagement/")
    _add_service_log(owner, need, "专家上门查看了产线。")
    _add_service_log(specialist, need, "提交了失效分析报告。")
    shoot(specialist, "7-service-log")

    # The enterprise marks it resolved and rates the service.
    owner.goto(f"/bang/needs/{need.pk}/engagement/")
    owner.get_by_label("服务成效").fill("循环寿命提升到800次。")
    owner.get_by_role("button", name="标记为已解决").click()
    owner.wait_for_url(f"**/bang/needs/{need.pk}/rate/")
    for name in ("overall", "timeliness", "expertise", "outcome"):
        owner.locator(f"input[name={name}][value='5']").check()
    owner.get_by_label("评价内容").fill("专家很专业，响应及时。")
    shoot(owner, "8-rating")
    owner.get_by_role("button", name="提交评价").click()
    owner.get_by_text("感谢您的评价！").wait_for()
    need.refresh_from_db()
    assert need.status == TechNeed.Status.RATED
    assert need.engagement.rating.overall == 5
    assert need.engagement.log_entries.count() == 2

    after = _figures(visitor)
    shoot(visitor, "9-board-after")
    assert int(after["收到需求"]) == int(before["收到需求"]) + 1
    assert int(after["匹配专家"]) == int(before["匹配专家"]) + 1
    assert int(after["已解决"]) == int(before["已解决"]) + 1
    assert before[next(k for k in before if k.startswith("企业满意度"))] == "—"
    assert after[next(k for k in after if k.startswith("企业满意度"))] == "100%"
