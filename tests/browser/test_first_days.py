"""The first day of an expert and of an enterprise on 科协帮, in a browser, on a
phone (390 px) and at a desk (1366 px). Each journey starts from a brand-new
account opened through the registration form and ends in its goal state,
checked in the database. Screenshots go to build/screenshots/."""

import re

import pytest

from experts.models import Enterprise, Expert, ExpertApplication, Response, TechNeed
from experts.services import matching, needs
from kexie.platform.accounts.models import User
from tests.browser.helpers import load_reference_data, log_in
from tests.experts.factories import EnterpriseFactory, ExpertFactory, NeedFactory, credit_code
from tests.experts.factories import discipline as discipline_of
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_emails

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
S = TechNeed.Status


@pytest.fixture(params=sorted(VIEWPORTS), ids=lambda width: f"{width}px")
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def new_page(browser, live_server, viewport):
    """``new_page()``: a page of its own (its own log-in) at the journey's width."""
    contexts = []
    phone = viewport["width"] < 500

    def make():
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def staff(db):
    load_reference_data()
    return UserFactory(name="审核员", role="staff", is_staff=True, email="reviewer@example.cn")


@pytest.fixture
def published_need(staff):
    owner = UserFactory(name="企业对接人", role="enterprise")
    enterprise = EnterpriseFactory(name="平湖精密注塑有限公司", users=[owner])
    need = NeedFactory(
        enterprise=enterprise,
        title="注塑件表面缩水",
        summary="注塑件表面有缩痕，想改进模具和工艺。",
        fields=[discipline_of("460")],
    )
    needs.need_submit(need=need, by=owner)
    needs.need_publish(need=need, by=staff)
    return need


def register(page, *, name: str, email: str, role: str) -> None:
    """Open an account through the one-step form (the address waits to be proven)."""
    page.goto("/accounts/register/")
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_role").select_option(role)
    page.locator("#id_password1").fill(TEST_PASSWORD)
    page.locator("#id_password2").fill(TEST_PASSWORD)
    page.get_by_role("button", name="注册", exact=True).click()


def code_sent_to(address: str) -> str:
    mail = [m for m in sent_emails(address) if "验证码" in m.subject][-1]
    return re.search(r"([0-9]{6})", mail.body).group(1)


def test_a_new_expert_applies_is_approved_and_answers_an_invitation(
    new_page, shoot, staff, published_need
):
    expert_page = new_page()
    register(expert_page, name="沈志远", email="shen@example.cn", role="expert")
    # The first step of an expert is the application, never a 403.
    expert_page.wait_for_url("**/bang/my/expert/apply/")
    expert_page.get_by_label("职称").select_option("senior_engineer")
    expert_page.get_by_label("工作单位").fill("嘉兴南湖学院")
    expert_page.get_by_label("所在地区").select_option("zhejiang")
    # Fields in plain words: 注塑 finds 机械工程.
    expert_page.get_by_label("用平常的话搜索领域").fill("注塑")
    expert_page.locator("[data-picker-results]").get_by_role("button", name="机械工程").click()
    expert_page.get_by_label("关键词").fill("注塑，模具")
    expert_page.get_by_label("简介").fill("在注塑模具企业做了十二年工艺改进。")
    shoot(expert_page, "1-application")
    expert_page.get_by_role("button", name="提交申请").click()
    expert_page.get_by_text("您的申请正在审核中。").wait_for()
    shoot(expert_page, "2-waiting")
    user = User.objects.get(pending_email="shen@example.cn")
    application = ExpertApplication.objects.get(user=user)
    assert application.status == ExpertApplication.Status.PENDING
    # 专家工作台 in the menu leads to the application's status meanwhile.
    expert_page.goto("/bang/")
    expert_page.get_by_role("link", name="专家工作台").click()
    expert_page.get_by_text("您的申请正在审核中。").wait_for()

    staff_page = new_page()
    log_in(staff_page, "reviewer@example.cn", next_url="/bang/staff/applications/")
    staff_page.wait_for_url("**/bang/staff/applications/")
    staff_page.get_by_role("link", name="沈志远").click()
    shoot(staff_page, "3-review")
    staff_page.get_by_role("button", name="批准入库").click()
    # The address typed at registration is still unproven: staff are not told it was used.
    staff_page.get_by_text(
        "已批准沈志远入库。申请人尚未验证手机或邮箱，无法通知；对方登录后即可进入专家工作台。"
    ).wait_for()
    expert = Expert.objects.get(user=user)
    assert [f.code for f in expert.fields.all()] == ["460"]
    # The need that suits them is recommended at once, not after the night's refresh.
    expert_page.goto("/bang/my/expert/")
    recommended = expert_page.locator("section", has_text="为我推荐的需求")
    recommended.get_by_role("link", name="注塑件表面缩水").wait_for()
    # Staff invite the new expert (the invitation itself is not this journey's subject).
    matching.invitation_create(need=published_need, expert=expert, by=staff)

    expert_page.goto("/bang/")
    expert_page.get_by_role("link", name="专家工作台").click()
    expert_page.wait_for_url("**/bang/my/expert/")
    invitations = expert_page.locator("section", has_text="邀请我对接的需求")
    shoot(expert_page, "4-dashboard")
    invitations.get_by_role("link", name="注塑件表面缩水").click()
    expert_page.get_by_role("link", name="提交响应").click()
    expert_page.get_by_label("解决思路").fill("先做模流分析，再调整保压和冷却水路。")
    expert_page.get_by_label("预计周期").fill("2个月")
    shoot(expert_page, "5-response")
    expert_page.locator("main form button[type=submit]").click()
    expert_page.get_by_text("响应已提交").wait_for()
    shoot(expert_page, "6-responded")

    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.APPROVED
    response = Response.objects.get(need=published_need)
    assert response.expert == expert
    assert response.expert.user == user


def test_an_invited_expert_registers_and_is_linked_after_proving_the_e_mail(
    new_page, shoot, staff, published_need
):
    invited = ExpertFactory(
        name="周文澜",
        organisation="上海理工大学",
        contact_email="zhou@example.cn",
        user=None,
        fields=[discipline_of("460")],
    )
    matching.invitation_create(need=published_need, expert=invited, by=staff)

    page = new_page()
    register(page, name="周文澜", email="zhou@example.cn", role="expert")
    page.wait_for_url("**/bang/my/expert/apply/")
    # Typing the address proves nothing: the record is offered only after a code.
    assert page.get_by_text("我们找到了您的专家档案").count() == 0
    page.get_by_role("link", name="验证档案中的邮箱或手机号，关联已有档案").click()
    page.wait_for_url("**/bang/my/expert/link/")
    assert page.get_by_label("专家档案中的邮箱或手机号").input_value() == "zhou@example.cn"
    shoot(page, "1-address")
    page.get_by_role("button", name="发送验证码").click()
    page.wait_for_url("**/bang/my/expert/link/code/")
    page.get_by_label("验证码").fill(code_sent_to("zhou@example.cn"))
    shoot(page, "2-code")
    page.get_by_role("button", name="验证并关联").click()
    page.wait_for_url("**/bang/my/expert/")
    page.get_by_text("已关联专家档案「周文澜」").wait_for()
    invitations = page.locator("section", has_text="邀请我对接的需求")
    invitations.get_by_role("link", name="注塑件表面缩水").wait_for()
    shoot(page, "3-linked")

    invited.refresh_from_db()
    assert invited.user == User.objects.get(pending_email="zhou@example.cn")
    assert not ExpertApplication.objects.exists()


def test_a_new_enterprise_posts_its_first_need_through_the_picker(new_page, shoot, staff):
    page = new_page()
    register(page, name="顾晓婷", email="gu@example.cn", role="enterprise")
    # Straight into the enterprise profile: step 1 of 2.
    page.wait_for_url("**/bang/enterprise/register/")
    page.get_by_text("第1步：企业信息").wait_for()
    page.get_by_label("企业名称").fill("平湖市晓婷箱包有限公司")
    page.get_by_label("统一社会信用代码").fill(credit_code(5151))
    page.get_by_label("行业").select_option("textile")
    page.get_by_label("规模").select_option("micro")
    page.get_by_label("联系人").fill("顾晓婷")
    page.get_by_label("联系电话").fill("13955557777")
    shoot(page, "1-enterprise")
    page.get_by_role("button", name="登记").click()

    # Step 2, the first need: begun, kept as a draft, left.
    page.wait_for_url("**/bang/needs/new/")
    page.get_by_text("第2步：第一条技术需求").wait_for()
    page.get_by_label("需求名称").fill("拉杆箱轮子磨得太快")
    page.get_by_role("button", name="暂存草稿，稍后继续").click()
    page.get_by_text("草稿已暂存").wait_for()
    draft = TechNeed.objects.get(title="拉杆箱轮子磨得太快")
    assert draft.status == S.DRAFT
    page.goto("/")

    # Coming back through 发布技术需求 resumes the draft.
    page.goto("/bang/")
    page.get_by_role("link", name="发布技术需求").click()
    page.get_by_text("继续填写您上次暂存的需求草稿。").wait_for()
    assert page.get_by_label("需求名称").input_value() == "拉杆箱轮子磨得太快"
    page.get_by_label("公开摘要").fill("拉杆箱的塑料轮子走几百米就磨平了，想找更耐磨的材料。")
    page.get_by_label("需求类型").select_option("research")
    # The picker suggests fields from what was written; one tap chooses.
    suggestions = page.locator("[data-picker-suggestions]")
    suggestions.get_by_role("button", name="材料科学").click()
    page.locator("[data-picker-chosen]").get_by_text("材料科学").wait_for()
    shoot(page, "2-need")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("需求已提交，等待科协工作人员审核。").wait_for()
    shoot(page, "3-submitted")

    need = TechNeed.objects.get(pk=draft.pk)
    assert need.status == S.SUBMITTED
    assert [f.code for f in need.fields.all()] == ["430"]
    enterprise = Enterprise.objects.get(name="平湖市晓婷箱包有限公司")
    assert need.enterprise == enterprise
    assert list(enterprise.users.values_list("pending_email", flat=True)) == ["gu@example.cn"]
