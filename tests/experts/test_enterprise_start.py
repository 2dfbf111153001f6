"""An enterprise's first day in one flow: registering leads into the
enterprise profile, then the first need; a half-written need is kept as a
draft and the person comes back to it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts.models import Enterprise, TechNeed
from experts.services import catalogue
from tests.experts.factories import NeedFactory, credit_code, discipline
from tests.factories import TownFactory, UserFactory
from tests.helpers import register_through_the_form

S = TechNeed.Status
START = reverse("experts:enterprise_start")
CREATE = reverse("experts:need_create")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def enterprise_data(**overrides) -> dict:
    data = {
        "name": "平湖新材料有限公司",
        "credit_code": credit_code(91),
        "industry": "materials",
        "size": "small",
        "contact_name": "王经理",
        "contact_phone": "0573-85000000",
    }
    data.update(overrides)
    return data


def need_data(**overrides) -> dict:
    data = {
        "title": "注塑件缩水",
        "summary": "注塑件表面有缩水。",
        "details": "",
        "kind": TechNeed.Kind.RESEARCH,
        "fields": [discipline("460").pk],
        "keywords": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(db):
    return UserFactory(name="新企业用户", role="enterprise")


def test_registering_as_an_enterprise_leads_into_the_enterprise_profile(client, db):
    response = register_through_the_form(
        client, name="陈经理", contact="chen@example.cn", role="enterprise", follow=True
    )
    assert [url for url, _status in response.redirect_chain] == [
        START,
        reverse("experts:enterprise_register"),
    ]
    page = response.content.decode()
    assert "第1步：企业信息" in page
    assert 'aria-current="step"' in page


def test_the_profile_leads_on_to_the_first_need(login, newcomer):
    response = login(newcomer).post(
        reverse("experts:enterprise_register"), enterprise_data(), follow=True
    )
    assert [url for url, _status in response.redirect_chain] == [START, CREATE]
    assert "第2步：第一条技术需求" in response.content.decode()
    assert Enterprise.objects.get().users.get() == newcomer


def test_the_profile_asks_for_industry_and_size_and_offers_the_persons_contact(login, db):
    person = UserFactory(name="陈经理", phone="13912345678", role="enterprise")
    client = login(person)
    form = client.get(reverse("experts:enterprise_register")).context["form"]
    assert form["industry"].value() is None and form["size"].value() is None
    assert (form["contact_name"].value(), form["contact_phone"].value()) == (
        "陈经理",
        "13912345678",
    )
    response = client.post(
        reverse("experts:enterprise_register"), enterprise_data(industry="", size="")
    )
    assert response.context["form"].errors == {
        "industry": ["这个字段是必填项。"],
        "size": ["这个字段是必填项。"],
    }
    assert 'value="平湖新材料有限公司"' in response.content.decode()
    assert not Enterprise.objects.exists()


def test_posting_a_need_without_a_profile_leads_into_the_flow_not_a_403(login, newcomer):
    response = login(newcomer).get(CREATE, follow=True)
    assert response.redirect_chain == [(reverse("experts:enterprise_register"), 302)]
    assert messages_of(response) == ["发布技术需求前，请先登记企业信息。"]


def test_a_half_written_need_is_kept_as_a_draft(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    response = client.post(
        CREATE, {"title": "只写了标题", "summary": "", "kind": "", "save_draft": "1"}, follow=True
    )
    need = TechNeed.objects.get()
    assert response.redirect_chain == [(reverse("experts:need_edit", args=[need.pk]), 302)]
    assert messages_of(response) == ["草稿已暂存。下次打开“发布技术需求”或“我的需求”即可接着填写。"]
    assert (need.status, need.summary, need.kind) == (S.DRAFT, "", "")
    assert not need.fields.exists()
    assert 'value="只写了标题"' in response.content.decode()


def test_the_page_of_a_draft_without_a_kind_shows_no_dangling_separator(
    login, enterprise_user, enterprise
):
    client = login(enterprise_user)
    client.post(CREATE, {"title": "只写了标题", "save_draft": "1"})
    need = TechNeed.objects.get()

    page = client.get(need.get_absolute_url()).content.decode()

    byline = page.split('<p class="text-muted mb-2">')[1].split("</p>")[0]
    assert enterprise.name in byline
    assert "·" not in byline


def test_coming_back_resumes_the_draft(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    client.post(CREATE, {"title": "只写了标题", "save_draft": "1"})
    need = TechNeed.objects.get()
    for door in (START, CREATE):
        response = client.get(door, follow=True)
        assert response.redirect_chain[-1][0] == reverse("experts:need_edit", args=[need.pk])
        assert "继续填写您上次暂存的需求草稿。" in messages_of(response)
    # Asked for, a new need may still be started.
    assert client.get(CREATE, {"new": "1"}).status_code == 200


def test_a_draft_needs_at_least_a_title(login, enterprise_user, enterprise):
    response = login(enterprise_user).post(CREATE, {"title": "", "save_draft": "1"})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert not TechNeed.objects.exists()


def test_saving_for_review_still_asks_for_everything(login, enterprise_user, enterprise):
    response = login(enterprise_user).post(CREATE, need_data(summary="", kind="", fields=[]))
    page = response.content.decode()
    assert page.count("这个字段是必填项。") == 2
    assert "请至少选择一个领域。" in page
    assert not TechNeed.objects.exists()


def test_an_unfinished_draft_is_not_sent_for_review(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    client.post(CREATE, {"title": "只写了标题", "save_draft": "1"})
    need = TechNeed.objects.get()
    page = client.get(need.get_absolute_url()).content.decode()
    assert "这份草稿还没有填完，提交审核前请补充：公开摘要、需求类型、所属领域。" in page
    response = client.post(
        reverse("experts:need_action", args=[need.pk]), {"to_status": S.SUBMITTED}, follow=True
    )
    assert messages_of(response) == ["提交审核前请先填写：公开摘要、需求类型、所属领域。"]
    need.refresh_from_db()
    assert need.status == S.DRAFT


def test_the_finished_draft_goes_for_review(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    client.post(CREATE, {"title": "注塑件缩水", "save_draft": "1"})
    need = TechNeed.objects.get()
    client.post(reverse("experts:need_edit", args=[need.pk]), need_data())
    client.post(reverse("experts:need_action", args=[need.pk]), {"to_status": S.SUBMITTED})
    need.refresh_from_db()
    assert need.status == S.SUBMITTED


def test_an_established_enterprise_starts_each_need_afresh(
    login, enterprise_user, enterprise, advance
):
    advance(NeedFactory(enterprise=enterprise), S.SUBMITTED, owner=enterprise_user)
    NeedFactory(enterprise=enterprise, title="另一份草稿")
    client = login(enterprise_user)
    assert client.get(CREATE).status_code == 200
    assert client.get(START).url == reverse("experts:my_needs")


def test_the_kind_is_chosen_not_preselected(login, enterprise_user, enterprise):
    page = login(enterprise_user).get(CREATE).content.decode()
    assert '<option value="" selected>请选择</option>' in page


@pytest.mark.parametrize("typed", ["１２３", "abc", "123", "0573", "13912345678901234", "²⁰⁵⁷³"])
def test_a_contact_phone_that_is_no_number_is_refused(login, newcomer, typed):
    response = login(newcomer).post(
        reverse("experts:enterprise_register"), enterprise_data(contact_phone=typed)
    )
    assert "请填写手机号码或带区号的固定电话。" in response.content.decode()
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0573-85000000", "0573-85000000"),
        ("(0573) 8500 0000", "(0573) 8500 0000"),
        ("１３９１２３４５６７８", "13912345678"),
        ("400-800-1234", "400-800-1234"),
    ],
)
def test_a_mobile_or_landline_contact_phone_is_kept_in_ascii(login, newcomer, typed, kept):
    login(newcomer).post(
        reverse("experts:enterprise_register"), enterprise_data(contact_phone=typed)
    )
    assert Enterprise.objects.get().contact_phone == kept


def test_the_profile_offers_the_number_typed_at_registration_before_it_is_verified(client, db):
    register_through_the_form(client, name="陈经理", contact="13912345678", role="enterprise")
    form = client.get(reverse("experts:enterprise_register")).context["form"]
    assert (form["contact_name"].value(), form["contact_phone"].value()) == (
        "陈经理",
        "13912345678",
    )


# --- the profile after registering -------------------------------------------------

PROFILE = reverse("experts:enterprise_profile")


def profile_data(**overrides) -> dict:
    data = {
        "industry": "materials",
        "size": "medium",
        "contact_name": "李主管",
        "contact_phone": "13812345678",
        "description": "生产光学镜片的镀膜材料。",
    }
    return {**data, **overrides}


def test_the_enterprise_completes_its_profile_from_my_needs(login, enterprise_user, enterprise):
    client = login(enterprise_user)
    assert f'href="{PROFILE}"' in client.get(reverse("experts:my_needs")).content.decode()
    town = TownFactory(name="新埭镇")
    response = client.post(PROFILE, profile_data(town=town.pk), follow=True)
    assert messages_of(response) == ["企业信息已保存。"]
    assert response.redirect_chain == [(reverse("experts:my_needs"), 302)]
    enterprise.refresh_from_db()
    assert (enterprise.town, enterprise.size, enterprise.contact_name) == (town, "medium", "李主管")
    assert enterprise.description == "生产光学镜片的镀膜材料。"
    # Opened again, the form shows what was saved.
    form = client.get(PROFILE).context["form"]
    assert form["description"].value() == "生产光学镜片的镀膜材料。"


def test_the_name_and_credit_code_staff_verified_do_not_change_from_the_profile(
    login, enterprise_user, enterprise
):
    code = enterprise.credit_code
    page = login(enterprise_user).get(PROFILE).content.decode()
    assert "平湖储能科技有限公司" in page and code in page
    login(enterprise_user).post(PROFILE, profile_data(name="别家公司", credit_code=credit_code(7)))
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.credit_code, enterprise.verified) == (
        "平湖储能科技有限公司",
        code,
        True,
    )


def test_a_wrong_contact_phone_keeps_what_was_typed(login, enterprise_user, enterprise):
    response = login(enterprise_user).post(PROFILE, profile_data(contact_phone="12"))
    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"]
    assert response.context["form"]["description"].value() == "生产光学镜片的镀膜材料。"
    enterprise.refresh_from_db()
    assert enterprise.contact_name != "李主管"


def test_a_person_without_an_enterprise_is_led_to_register_it(login, newcomer):
    assert login(newcomer).get(PROFILE).url == reverse("experts:enterprise_register")


def test_only_the_enterprises_people_or_staff_may_update_it(
    enterprise, other_enterprise_user, staff_user
):
    details = profile_data(industry="optics")
    with pytest.raises(ValidationError) as error:
        catalogue.enterprise_update(enterprise=enterprise, by=other_enterprise_user, **details)
    assert error.value.messages == ["只有企业本身的用户可以修改企业信息。"]
    catalogue.enterprise_update(enterprise=enterprise, by=staff_user, **details)
    enterprise.refresh_from_db()
    assert enterprise.industry == "optics"
