"""Experts join by themselves: a person applies, staff approve (an expert record
linked to the account) or decline with a reason; the person is told either way."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts.models import Expert, ExpertApplication
from experts.services import applications
from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.experts.factories import ExpertFactory, discipline
from tests.factories import UserFactory
from tests.helpers import register_through_the_form

A = ExpertApplication.Status


@pytest.fixture
def applicant(db):
    return UserFactory(name="王工", email="wang@example.cn", role=User.Role.PUBLIC)


def outbox(to: str) -> list[Notification]:
    """Messages written to the outbox for this address (delivered after commit)."""
    return list(Notification.objects.filter(recipient=to).order_by("pk"))


def form_data(**overrides) -> dict:
    data = {
        "name": "王工",
        "title": Expert.Title.SENIOR_ENGINEER,
        "organisation": "嘉兴学院",
        "region": Expert.Region.ZHEJIANG,
        "fields": [discipline("460").pk],
        "keywords": "注塑，模具",
        "biography": "从事注塑模具设计二十年。",
    }
    data.update(overrides)
    return data


def submit(user, **overrides) -> ExpertApplication:
    data = form_data(**overrides)
    data["fields"] = [discipline("460")]
    data["keywords"] = ["注塑", "模具"]
    return applications.application_submit(user=user, **data)


# --- services ----------------------------------------------------------------------


def test_application_waits_for_staff_who_are_told_once(applicant, staff_user):
    application = submit(applicant)
    assert application.status == A.PENDING
    assert list(application.fields.values_list("code", flat=True)) == ["460"]
    assert application.keywords == ["注塑", "模具"]
    assert not Expert.objects.filter(user=applicant).exists()
    assert len(outbox(staff_user.email)) == 1
    assert "王工" in outbox(staff_user.email)[0].subject


def test_second_pending_application_is_refused(applicant):
    submit(applicant)
    with pytest.raises(ValidationError) as error:
        submit(applicant)
    assert error.value.messages == ["您已有一份待审核的申请，请耐心等待科协工作人员审核。"]
    assert ExpertApplication.objects.count() == 1


def test_a_person_already_in_the_pool_does_not_apply(expert):
    with pytest.raises(ValidationError) as error:
        submit(expert.user)
    assert error.value.messages == ["您的账户已关联专家档案，可在专家工作台修改资料。"]
    assert not ExpertApplication.objects.exists()


def test_approval_makes_an_expert_linked_to_the_account(applicant, staff_user):
    application = submit(applicant)
    expert = applications.application_approve(application=application, by=staff_user)
    application.refresh_from_db()
    applicant.refresh_from_db()
    assert expert.user == applicant
    assert expert.name == "王工"
    assert expert.contact_email == "wang@example.cn"
    assert [f.code for f in expert.fields.all()] == ["460"]
    assert sorted(k.name for k in expert.keywords.all()) == ["模具", "注塑"]
    assert application.status == A.APPROVED
    assert application.expert == expert
    assert application.decided_by == staff_user
    # The menu now offers 专家工作台.
    assert applicant.role == User.Role.EXPERT
    approved = outbox("wang@example.cn")
    assert [m.subject for m in approved] == ["您已加入科协帮专家库"]
    assert "/bang/my/expert/" in approved[0].body


def test_approval_keeps_an_enterprise_users_role(staff_user):
    owner = UserFactory(role=User.Role.ENTERPRISE)
    applications.application_approve(application=submit(owner), by=staff_user)
    owner.refresh_from_db()
    assert owner.role == User.Role.ENTERPRISE


def test_only_staff_decide(applicant, other_expert_user):
    application = submit(applicant)
    with pytest.raises(ValidationError) as error:
        applications.application_approve(application=application, by=other_expert_user)
    assert error.value.messages == ["只有科协工作人员可以审核专家入库申请。"]
    application.refresh_from_db()
    assert application.status == A.PENDING
    assert not Expert.objects.filter(user=applicant).exists()


def test_an_application_is_decided_once(applicant, staff_user):
    application = submit(applicant)
    applications.application_approve(application=application, by=staff_user)
    with pytest.raises(ValidationError) as error:
        applications.application_decline(application=application, by=staff_user, reason="重复")
    assert error.value.messages == ["该申请已经审核过了。"]
    assert Expert.objects.filter(user=applicant).count() == 1


def test_decline_needs_a_reason_and_tells_it(applicant, staff_user):
    application = submit(applicant)
    with pytest.raises(ValidationError) as error:
        applications.application_decline(application=application, by=staff_user, reason="  ")
    assert error.value.messages == ["请填写未通过的原因，申请人会看到它。"]
    application.refresh_from_db()
    assert application.status == A.PENDING
    applications.application_decline(
        application=application, by=staff_user, reason="请补充代表性成果。"
    )
    application.refresh_from_db()
    assert application.status == A.DECLINED
    declined = outbox("wang@example.cn")
    assert [m.subject for m in declined] == ["您的专家入库申请未通过"]
    assert "请补充代表性成果。" in declined[0].body
    # A declined person may apply again.
    assert submit(applicant).status == A.PENDING


def test_applicant_with_only_a_phone_is_told_by_sms(staff_user):
    applicant = UserFactory(email=None, phone="13912345678")
    applications.application_approve(application=submit(applicant), by=staff_user)
    sms = Notification.objects.filter(channel="sms", recipient="13912345678")
    assert sms.count() == 1
    assert "专家入库申请已通过" in sms.get().body


# --- pages ------------------------------------------------------------------------


def test_registering_as_an_expert_leads_to_the_application(client, db):
    response = register_through_the_form(
        client, name="新专家", contact="new-expert@example.cn", role="expert", follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("experts:expert_apply")
    assert "申请加入专家库" in response.content.decode()


def test_expert_dashboard_without_a_record_leads_to_the_application_not_a_403(login, applicant):
    client = login(applicant)
    for name in ("experts:expert_dashboard", "experts:expert_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url == reverse("experts:expert_apply")


def test_apply_page_sends_the_application_and_then_shows_its_status(login, applicant):
    client = login(applicant)
    response = client.post(reverse("experts:expert_apply"), form_data(), follow=True)
    page = response.content.decode()
    assert "申请已提交，科协工作人员审核后会通知您。" in page
    assert "您的申请正在审核中。" in page
    assert 'name="biography"' not in page
    assert ExpertApplication.objects.get().user == applicant


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"biography": ""}, "这个字段是必填项。"),
        ({"fields": []}, "请至少选择一个领域。"),
        ({"title": "ceo"}, "选择一个有效的选项。 ceo 不在可用的选项中。"),
        ({"keywords": "，".join(f"词{n}" for n in range(13))}, "关键词最多12个。"),
    ],
)
def test_bad_application_is_explained_and_nothing_saved(login, applicant, overrides, message):
    response = login(applicant).post(reverse("experts:expert_apply"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExpertApplication.objects.exists()


def test_declined_applicant_sees_the_reason_and_the_form_filled_in(login, applicant, staff_user):
    applications.application_decline(
        application=submit(applicant), by=staff_user, reason="请补充代表性成果。"
    )
    page = login(applicant).get(reverse("experts:expert_apply")).content.decode()
    assert "请补充代表性成果。" in page
    assert "嘉兴学院" in page


def test_approved_expert_is_sent_on_to_the_dashboard(login, applicant, staff_user):
    applications.application_approve(application=submit(applicant), by=staff_user)
    client = login(applicant)
    response = client.get(reverse("experts:expert_apply"))
    assert response.url == reverse("experts:expert_dashboard")
    assert client.get(reverse("experts:expert_dashboard")).status_code == 200


def test_staff_approve_from_the_review_page(staff_client, applicant):
    application = submit(applicant)
    page = staff_client.get(application.get_absolute_url()).content.decode()
    assert "从事注塑模具设计二十年。" in page
    response = staff_client.post(
        reverse("experts:application_decide", args=[application.pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert "已批准王工入库，并通知了申请人。" in response.content.decode()
    assert Expert.objects.get(user=applicant).name == "王工"


@pytest.mark.parametrize(
    ("decision", "said"),
    [
        (
            {"decision": "approve"},
            "已批准王工入库。申请人尚未验证手机或邮箱，无法通知；对方登录后即可进入专家工作台。",
        ),
        (
            {"decision": "decline", "reason": "请补充代表性成果。"},
            "已记下未通过的原因。申请人尚未验证手机或邮箱，无法通知；对方登录后在申请页面可以看到。",
        ),
    ],
    ids=["approve", "decline"],
)
def test_staff_are_not_told_an_applicant_without_a_proven_address_was_notified(
    staff_client, db, decision, said
):
    # Registered through the form: the address typed stays pending, so nothing is sent.
    newcomer = UserFactory(name="王工", email="", phone=None, pending_email="wang@example.cn")
    application = submit(newcomer)
    response = staff_client.post(
        reverse("experts:application_decide", args=[application.pk]), decision, follow=True
    )
    page = response.content.decode()
    assert said in page
    assert "并通知了申请人" not in page and "已通知申请人" not in page
    assert outbox("wang@example.cn") == []


def test_staff_decline_without_a_reason_changes_nothing(staff_client, applicant):
    application = submit(applicant)
    response = staff_client.post(
        reverse("experts:application_decide", args=[application.pk]),
        {"decision": "decline", "reason": ""},
        follow=True,
    )
    assert "请填写未通过的原因，申请人会看到它。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == A.PENDING


def test_staff_page_points_to_a_record_staff_made_for_the_same_address(staff_client, applicant):
    made = ExpertFactory(name="王某某", contact_email="WANG@example.cn", user=None)
    application = submit(applicant)
    page = staff_client.get(application.get_absolute_url()).content.decode()
    assert made.organisation in page


def test_unknown_decision_is_refused(staff_client, applicant):
    application = submit(applicant)
    response = staff_client.post(
        reverse("experts:application_decide", args=[application.pk]),
        {"decision": "maybe"},
        follow=True,
    )
    assert "无法识别的操作。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == A.PENDING


def test_admin_approves_through_the_service(admin_client_for_staff, applicant):
    application = submit(applicant)
    admin_client_for_staff.post(
        reverse("admin:experts_expertapplication_changelist"),
        {"action": "approve", "_selected_action": [application.pk]},
    )
    application.refresh_from_db()
    assert application.status == A.APPROVED
    assert application.expert.user == applicant


@pytest.fixture
def admin_client_for_staff(staff_client):
    return staff_client


@pytest.mark.parametrize("rows", [5, 200])
def test_staff_list_costs_the_same_at_5_and_200_applications(
    staff_client, rows, django_assert_max_num_queries
):
    for n in range(rows):
        submit(UserFactory(name=f"申请人{n}"), name=f"申请人{n}")
    # session, user, counts by status, page count, page of applications with
    # users and deciders, their fields (prefetch)
    with django_assert_max_num_queries(6):
        response = staff_client.get(reverse("experts:application_list"))
    assert response.status_code == 200
    assert "申请人0" in response.content.decode()


def test_staff_list_shows_the_pending_first(staff_client, staff_user):
    first = submit(UserFactory(), name="最早的申请")
    applications.application_approve(
        application=submit(UserFactory(), name="获批的申请"), by=staff_user
    )
    submit(UserFactory(), name="较晚的申请")
    page = staff_client.get(reverse("experts:application_list")).content.decode()
    assert page.index("最早的申请") < page.index("较晚的申请") < page.index("获批的申请")
    assert first.get_absolute_url() in page
