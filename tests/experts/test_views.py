"""What each page shows and how it answers bad input."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.models import Enterprise, NeedAttachment, TechNeed
from experts.services import needs
from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.experts.factories import credit_code
from tests.experts.test_needs import PDF, PNG

S = TechNeed.Status


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def anonymous_need(published_need):
    published_need.is_anonymous = True
    published_need.save()
    return published_need


@pytest.mark.parametrize("who", ["anonymous", "other_enterprise", "uninvited_expert"])
def test_public_need_page_shows_summary_but_never_the_confidential_part(
    published_need, client, login, other_enterprise_user, other_expert, who
):
    viewer = {
        "anonymous": client,
        "other_enterprise": login(other_enterprise_user),
        "uninvited_expert": login(other_expert.user),
    }[who]
    page = viewer.get(published_need.get_absolute_url()).content.decode()
    assert published_need.summary in page
    assert published_need.details not in page
    assert "附件" not in page or "上传附件" not in page


def test_invited_expert_sees_the_details(matched_need, login, expert):
    page = login(expert.user).get(matched_need.get_absolute_url()).content.decode()
    assert matched_need.details in page


def test_expert_who_accepts_confidentiality_then_sees_details(published_need, login, other_expert):
    client = login(other_expert.user)
    assert (
        published_need.details not in client.get(published_need.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("experts:confidentiality", args=[published_need.pk]), follow=True
    )
    assert messages_of(response) == ["已签署保密承诺，现在可以查看需求详情。"]
    assert published_need.details in response.content.decode()


def test_anonymous_need_hides_the_enterprise_on_public_pages(
    anonymous_need, client, login, enterprise_user
):
    name = anonymous_need.enterprise.name
    assert name not in client.get(reverse("experts:board")).content.decode()
    assert name not in client.get(anonymous_need.get_absolute_url()).content.decode()
    assert "匿名企业" in client.get(anonymous_need.get_absolute_url()).content.decode()
    assert name in login(enterprise_user).get(anonymous_need.get_absolute_url()).content.decode()


def test_a_board_filter_that_finds_nothing_offers_the_way_back(published_need, client):
    page = client.get(reverse("experts:board"), {"q": "没有这个词"}).content.decode()
    assert "暂无符合条件的需求。" in page
    assert f'<a href="{reverse("experts:board")}">清除筛选条件，查看全部</a>' in page
    assert "清除筛选条件" not in client.get(reverse("experts:board")).content.decode()


def test_board_lists_only_open_needs(published_need, enterprise, client):
    from tests.experts.factories import NeedFactory

    draft = NeedFactory(enterprise=enterprise, title="尚未提交的草稿需求")
    page = client.get(reverse("experts:board")).content.decode()
    assert published_need.title in page
    assert draft.title not in page


def test_enterprise_registration_refuses_a_wrong_credit_code(login, expert_user):
    client = login(expert_user)
    data = {
        "name": "平湖新材料有限公司",
        "credit_code": "91330482MA28A1234X",
        "industry": "materials",
        "size": "small",
        "contact_name": "王经理",
        "contact_phone": "0573-85000000",
    }
    response = client.post(reverse("experts:enterprise_register"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == [
        "统一社会信用代码的校验位不正确，请核对后重新填写。"
    ]
    assert not Enterprise.objects.exists()

    data["credit_code"] = credit_code(77).lower()
    response = client.post(reverse("experts:enterprise_register"), data)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.credit_code == credit_code(77)
    assert list(enterprise.users.all()) == [expert_user]
    assert enterprise.verified is False


def test_registering_a_code_already_known_is_refused(login, public_user, enterprise):
    response = login(public_user).post(
        reverse("experts:enterprise_register"),
        {
            "name": "另一个名字",
            "credit_code": enterprise.credit_code,
            "industry": "food",
            "size": "small",
            "contact_name": "李",
            "contact_phone": "13900000001",
        },
    )
    assert response.context["form"].errors["credit_code"] == [
        "该统一社会信用代码已登记，请联系科协工作人员将您加入该企业。"
    ]
    assert Enterprise.objects.count() == 1


def test_need_is_written_through_the_form_with_suggested_keywords(
    login, enterprise_user, enterprise, materials
):
    response = login(enterprise_user).post(
        reverse("experts:need_create"),
        {
            "title": "光学镜片镀膜良率提升",
            "summary": "镀膜后出现色差，良品率偏低，希望改进镀膜工艺。",
            "details": "目前使用电子束蒸发。",
            "kind": "research",
            "fields": [materials.pk],
            "keywords": "镀膜，良品率",
            "budget_min": "10",
            "budget_max": "30",
        },
        follow=True,
    )
    need = TechNeed.objects.get()
    assert need.status == S.DRAFT
    assert sorted(k.name for k in need.keywords.all()) == ["良品率", "镀膜"]
    assert "镀膜" in need.suggested_keywords
    assert "系统根据内容建议的关键词" not in response.content.decode()  # shown on the edit form
    edit = login(enterprise_user).get(reverse("experts:need_edit", args=[need.pk]))
    assert "系统根据内容建议的关键词" in edit.content.decode()


def test_need_form_refuses_budget_upside_down(login, enterprise_user, enterprise, materials):
    response = login(enterprise_user).post(
        reverse("experts:need_create"),
        {
            "title": "x",
            "summary": "y",
            "kind": "research",
            "fields": [materials.pk],
            "budget_min": "30",
            "budget_max": "10",
        },
    )
    assert response.context["form"].errors["budget_max"] == ["预算下限不能高于预算上限。"]
    assert not TechNeed.objects.exists()


def test_illegal_transition_through_the_page_shows_a_clear_message(
    draft_need, login, enterprise_user
):
    response = login(enterprise_user).post(
        reverse("experts:need_action", args=[draft_need.pk]),
        {"to_status": S.RESOLVED},
        follow=True,
    )
    assert messages_of(response) == ["不能将需求从「草稿」改为「已解决」。"]
    draft_need.refresh_from_db()
    assert draft_need.status == S.DRAFT


def test_a_need_waiting_for_review_is_taken_back_to_draft_to_be_corrected(
    draft_need, login, enterprise_user, staff_user
):
    needs.need_submit(need=draft_need, by=enterprise_user)
    client = login(enterprise_user)

    edit = client.get(reverse("experts:need_edit", args=[draft_need.pk]), follow=True)
    assert messages_of(edit) == [
        "需求正在等待审核，不能直接修改。请先点“退回草稿修改”，改好后重新提交审核。"
    ]
    assert f'name="to_status" value="{S.DRAFT}"' in edit.content.decode()

    client.post(reverse("experts:need_action", args=[draft_need.pk]), {"to_status": S.DRAFT})
    draft_need.refresh_from_db()
    assert draft_need.status == S.DRAFT
    assert client.get(reverse("experts:need_edit", args=[draft_need.pk])).status_code == 200
    # Staff review what is submitted; they do not send it back in its owner's place.
    needs.need_submit(need=draft_need, by=enterprise_user)
    with pytest.raises(ValidationError):
        needs.need_revise(need=draft_need, by=staff_user)


def test_staff_reject_without_reason_is_refused(draft_need, login, enterprise_user, staff_user):
    needs.need_submit(need=draft_need, by=enterprise_user)
    response = login(staff_user).post(
        reverse("experts:need_action", args=[draft_need.pk]),
        {"to_status": S.REJECTED},
        follow=True,
    )
    assert messages_of(response) == ["将需求改为「未通过审核」时请填写原因。"]
    draft_need.refresh_from_db()
    assert draft_need.status == S.SUBMITTED


def test_upload_too_large_through_the_page_stores_nothing(
    draft_need, login, enterprise_user, settings
):
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    response = login(enterprise_user).post(
        reverse("experts:attachment_upload", args=[draft_need.pk]),
        {"file": SimpleUploadedFile("图纸.pdf", PDF + b"x" * 100 * 1024)},
        follow=True,
    )
    assert messages_of(response) == ["文件过大：不能超过100 KB。"]
    assert not NeedAttachment.objects.exists()


def test_upload_of_a_false_type_through_the_page_stores_nothing(draft_need, login, enterprise_user):
    response = login(enterprise_user).post(
        reverse("experts:attachment_upload", args=[draft_need.pk]),
        {"file": SimpleUploadedFile("合同.pdf", b"<?php echo 1; ?>")},
        follow=True,
    )
    assert messages_of(response) == [
        "不支持该文件类型，请上传 PDF、Word、Excel、PowerPoint 或 PNG/JPEG 图片。"
    ]
    assert not NeedAttachment.objects.exists()


def test_attachment_download_is_an_attachment_with_nosniff(
    matched_need, enterprise_user, login, expert
):
    attachment = needs.need_attachment_add(
        need=matched_need, by=enterprise_user, upload=SimpleUploadedFile("现场 照片.png", PNG)
    )
    response = login(expert.user).get(reverse("experts:attachment_download", args=[attachment.pk]))
    body = b"".join(response.streaming_content)  # reading it to the end closes the file
    assert body == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"]


def test_response_through_the_page_to_a_closed_need_is_refused(
    matched_need, login, expert, staff_user
):
    needs.need_close(need=matched_need, by=staff_user, reason="企业已自行解决")
    response = login(expert.user).post(
        reverse("experts:response_create", args=[matched_need.pk]),
        {"approach": "方案", "duration": "1个月"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["该需求已不再接受专家响应。"]
    assert not matched_need.responses.exists()


def test_response_to_a_need_that_closes_while_writing_shows_the_message(
    matched_need, login, expert, enterprise_user
):
    client = login(expert.user)
    form_page = client.get(reverse("experts:response_create", args=[matched_need.pk]))
    assert form_page.status_code == 200
    needs.need_withdraw(need=matched_need, by=enterprise_user)
    matched_need.status = S.MATCHED  # the page the expert still has open
    from experts.services import responses

    with pytest.raises(Exception) as error:
        responses.response_create(
            need=matched_need, expert=expert, by=expert.user, approach="方案", duration="1个月"
        )
    assert error.value.messages == ["该需求已不再接受专家响应。"]


def test_staff_invites_from_the_recommendations(published_need, login, staff_user, expert):
    page = login(staff_user).get(published_need.get_absolute_url()).content.decode()
    assert "推荐专家" in page
    assert "领域相同：材料科学" in page
    response = login(staff_user).post(
        reverse("experts:invite", args=[published_need.pk]), {"expert": expert.pk}, follow=True
    )
    assert messages_of(response) == [f"已邀请{expert.name}，专家会收到通知。"]
    published_need.refresh_from_db()
    assert published_need.status == S.MATCHED


def test_staff_are_told_when_an_invited_expert_has_no_address_to_notify(
    published_need, login, staff_user, expert
):
    # The account's address was typed at registration and never verified.
    User.objects.filter(pk=expert.user_id).update(
        email=None, phone=None, pending_email="new@example.cn"
    )
    response = login(staff_user).post(
        reverse("experts:invite", args=[published_need.pk]), {"expert": expert.pk}, follow=True
    )
    assert messages_of(response) == [
        f"已邀请{expert.name}，但该专家没有可用的邮箱或手机，未能发送通知，请另行联系。"
    ]
    assert not Notification.objects.filter(recipient="new@example.cn").exists()


def test_owner_sees_recommendations_but_cannot_invite(
    published_need, login, enterprise_user, expert
):
    page = login(enterprise_user).get(published_need.get_absolute_url()).content.decode()
    assert expert.name in page
    assert reverse("experts:invite", args=[published_need.pk]) not in page


def test_expert_dashboard_shows_invited_and_recommended_needs(
    expert, matched_need, enterprise, enterprise_user, advance, materials, login
):
    from tests.experts.factories import NeedFactory

    recommended = advance(
        NeedFactory(enterprise=enterprise, fields=[materials], title="推荐给我的需求"),
        S.PUBLISHED,
        owner=enterprise_user,
    )
    page = login(expert.user).get(reverse("experts:expert_dashboard")).content.decode()
    assert matched_need.title in page
    assert recommended.title in page


def test_expert_can_turn_off_the_weekly_digest(expert, login):
    login(expert.user).post(reverse("experts:expert_digest"), {})
    expert.refresh_from_db()
    assert expert.weekly_digest is False


def test_platform_figures_count_each_need_once(
    draft_need, advance, enterprise_user, expert, client
):
    advance(draft_need, S.RATED, owner=enterprise_user, expert=expert)
    figures = client.get(reverse("experts:board")).context["figures"]
    assert (figures["received"], figures["matched"], figures["resolved"]) == (1, 1, 1)
    assert figures["satisfaction"] == 100
    assert figures["average_rating"] == 5.0


def test_home_page_shows_the_bang_block(published_need, client):
    page = client.get("/").content.decode()
    assert "科协帮" in page
    assert published_need.title in page


def test_expert_edits_own_profile_and_unavailable_stops_recommendations(
    expert, published_need, login, materials
):
    from experts.matching import recommend_experts

    assert expert in [rec.expert for rec in recommend_experts(published_need)]
    response = login(expert.user).post(
        reverse("experts:expert_profile"),
        {
            "title": "researcher",
            "organisation": "中国科学院宁波材料技术与工程研究所",
            "region": "zhejiang",
            "fields": [materials.pk],
            "keywords": "锂电池，固态电池",
            "biography": "研究固态电池。",
            "availability": "unavailable",
            "is_public": "on",
        },
        follow=True,
    )
    assert messages_of(response) == ["专家资料已保存。"]
    expert.refresh_from_db()
    assert expert.name == "张储能"  # the name stays with staff
    assert sorted(k.name for k in expert.keywords.all()) == ["固态电池", "锂离子电池"]
    assert expert not in [rec.expert for rec in recommend_experts(published_need)]


def test_invited_expert_declines_an_invitation(matched_need, expert, login):
    invitation = matched_need.invitations.get(expert=expert)
    login(expert.user).post(reverse("experts:invitation_decline", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    page = login(expert.user).get(reverse("experts:expert_dashboard")).content.decode()
    assert "已婉拒" in page


def test_suggest_button_fills_keywords_without_saving(
    login, enterprise_user, enterprise, materials
):
    response = login(enterprise_user).post(
        reverse("experts:need_create"),
        {
            "title": "储能柜温升",
            "summary": "电费峰谷价差大，想在低谷充电，磷酸铁锂储能柜夏天温度高。",
            "kind": "research",
            "fields": [str(materials.pk)],
            "keywords": "温控",
            "suggest": "1",
        },
    )
    assert response.status_code == 200
    keywords = response.context["form"].initial["keywords"].split("，")
    assert keywords[0] == "温控"
    assert "磷酸铁锂" in keywords and "储能" in keywords
    assert response.context["form"].initial["fields"] == [str(materials.pk)]
    assert not TechNeed.objects.exists()


def test_private_expert_is_not_named_on_the_achievement_list(db, client):
    from tests.experts.factories import AchievementFactory, ExpertFactory

    AchievementFactory(title="低成本热管理", expert=ExpertFactory(name="隐名专家", is_public=False))
    page = client.get(reverse("experts:achievement_list")).content.decode()
    assert "低成本热管理" in page
    assert "隐名专家" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/bang/?field=abc&kind=zzz&page=x",
        "/bang/?q=" + "长" * 500,
        "/bang/experts/?region=mars&field=-1&page=999",
        "/bang/workstations/?kind=castle&page=-3",
        "/bang/achievements/?page=abc",
    ],
)
def test_bad_query_parameters_give_a_page_not_an_error(db, client, url):
    assert client.get(url).status_code == 200


def test_unverified_enterprise_is_flagged_in_the_review_queue(
    draft_need, enterprise, enterprise_user, login, staff_user
):
    enterprise.verified = False
    enterprise.save()
    needs.need_submit(need=draft_need, by=enterprise_user)
    page = login(staff_user).get(reverse("experts:review_queue")).content.decode()
    assert draft_need.title in page
    assert "未认证" in page


def test_stuck_list_shows_needs_waiting_longer_than_the_working_day_threshold(
    enterprise, enterprise_user, login, staff_user, settings
):
    import time_machine

    from tests.experts.factories import NeedFactory

    settings.EXPERTS_STUCK_AFTER_WORKING_DAYS = 5
    old = NeedFactory(enterprise=enterprise, title="等了很久的需求")
    recent = NeedFactory(enterprise=enterprise, title="刚提交的需求")
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False):  # Monday
        needs.need_submit(need=old, by=enterprise_user)
    with time_machine.travel("2026-03-06 09:00 +0800", tick=False):  # Friday
        needs.need_submit(need=recent, by=enterprise_user)
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):  # next Monday
        response = login(staff_user).get(reverse("experts:review_queue"))
    stuck = response.context["stuck"]
    assert [(item.need, item.working_days) for item in stuck] == [(old, 5)]
    assert {n.title for n in response.context["needs"]} == {old.title, recent.title}


def test_owner_sees_why_the_need_was_rejected(draft_need, enterprise_user, staff_user, login):
    needs.need_submit(need=draft_need, by=enterprise_user)
    needs.need_reject(need=draft_need, by=staff_user, reason="摘要里有客户名称")
    page = login(enterprise_user).get(draft_need.get_absolute_url()).content.decode()
    assert "未通过审核：摘要里有客户名称" in page


def test_staff_reject_asks_first_and_keeps_the_reason(
    draft_need, login, enterprise_user, staff_user
):
    needs.need_submit(need=draft_need, by=enterprise_user)
    client = login(staff_user)
    url = reverse("experts:need_action", args=[draft_need.pk])
    data = {"to_status": S.REJECTED, "reason": "请补充具体技术指标"}
    asked = client.post(url, data).content.decode()
    assert "企业会收到驳回原因的通知" in asked
    assert 'name="reason" value="请补充具体技术指标"' in asked
    draft_need.refresh_from_db()
    assert draft_need.status == S.SUBMITTED
    client.post(url, {**data, "confirmed": "yes"})
    draft_need.refresh_from_db()
    assert draft_need.status == S.REJECTED


def test_owner_withdrawing_a_need_is_asked_first(draft_need, login, enterprise_user):
    needs.need_submit(need=draft_need, by=enterprise_user)
    client = login(enterprise_user)
    url = reverse("experts:need_action", args=[draft_need.pk])
    asked = client.post(url, {"to_status": S.WITHDRAWN})
    assert asked.status_code == 200
    assert "撤回后不能恢复" in asked.content.decode()
    draft_need.refresh_from_db()
    assert draft_need.status == S.SUBMITTED
    client.post(url, {"to_status": S.WITHDRAWN, "confirmed": "yes"})
    draft_need.refresh_from_db()
    assert draft_need.status == S.WITHDRAWN


@pytest.mark.parametrize(
    ("language", "budget"),
    [
        ("zh-hans", "5–20 万元"),
        # Not "5–20 10,000 yuan", which reads as another sum: the yuan are written out.
        ("en", "¥50,000–¥200,000"),
    ],
)
def test_a_budget_reads_as_the_sum_it_is_in_each_language(
    published_need, login, enterprise_user, settings, language, budget
):
    TechNeed.objects.filter(pk=published_need.pk).update(budget_min=5, budget_max=20)
    client = login(enterprise_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(published_need.get_absolute_url()).content.decode()
    shown = re.search(r'<dd class="col-sm-9">([^<]*(?:万元|¥[^<]*))</dd>', page).group(1)
    assert shown == budget


def _unreachable(user):
    # Registered through the form: what was typed stays pending until proven.
    User.objects.filter(pk=user.pk).update(email=None, phone=None, pending_email="e@example.cn")


@pytest.mark.parametrize("proven", [True, False], ids=["proven", "pending"])
def test_staff_are_told_whether_the_enterprise_could_hear_of_a_rejection(
    draft_need, login, enterprise_user, staff_user, proven
):
    needs.need_submit(need=draft_need, by=enterprise_user)
    if not proven:
        _unreachable(enterprise_user)
    page = (
        login(staff_user)
        .post(
            reverse("experts:need_action", args=[draft_need.pk]),
            {"to_status": S.REJECTED, "reason": "请补充具体技术指标", "confirmed": "yes"},
            follow=True,
        )
        .content.decode()
    )
    draft_need.refresh_from_db()
    assert draft_need.status == S.REJECTED
    if proven:
        assert "已驳回该需求并通知企业。" in page
    else:
        assert "并通知企业" not in page
        assert "企业尚未验证手机或邮箱，无法通知" in page


@pytest.mark.parametrize("proven", [True, False], ids=["proven", "pending"])
def test_an_expert_is_told_whether_the_enterprise_could_hear_of_their_response(
    matched_need, login, expert, enterprise_user, proven
):
    if not proven:
        _unreachable(enterprise_user)
    page = (
        login(expert.user)
        .post(
            reverse("experts:response_create", args=[matched_need.pk]),
            {"approach": "先做工艺评估", "duration": "1个月"},
            follow=True,
        )
        .content.decode()
    )
    assert matched_need.responses.exists()
    if proven:
        assert "响应已提交，企业会收到通知。" in page
    else:
        assert "企业会收到通知" not in page
        assert "企业尚未验证手机或邮箱，无法通知" in page


def test_the_decline_button_is_a_real_button_a_finger_can_hit(matched_need, expert, login):
    # As a bare link (btn-link p-0) it was 23 px high on a phone, next to the
    # need's title: a finger meant for one hit the other.
    page = login(expert.user).get(reverse("experts:expert_dashboard")).content.decode()

    assert '<button class="btn btn-outline-secondary btn-sm" type="submit">婉拒</button>' in page
