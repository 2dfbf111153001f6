import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts.models import ConfidentialityAgreement, Engagement, Response, TechNeed
from experts.services import matching, needs, responses
from tests.helpers import sent_emails

S = TechNeed.Status


def _respond(need, expert, **overrides):
    data = {
        "approach": "先做电芯失效分析，再优化热管理",
        "duration": "3个月",
        "cost_min": 5,
        "cost_max": 10,
    }
    data.update(overrides)
    return responses.response_create(need=need, expert=expert, by=expert.user, **data)


def test_invitation_moves_need_to_matched_and_notifies_the_expert_once(
    published_need, expert, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matching.invitation_create(need=published_need, expert=expert, by=staff_user)
    published_need.refresh_from_db()
    assert published_need.status == S.MATCHED
    mails = sent_emails(expert.user.email)
    assert [m.subject for m in mails] == [f"邀请您对接技术需求：{published_need.title}"]
    with pytest.raises(ValidationError) as error:
        matching.invitation_create(need=published_need, expert=expert, by=staff_user)
    assert error.value.messages == ["已经邀请过这位专家。"]
    assert len(sent_emails(expert.user.email)) == 1


def test_uninvited_expert_must_accept_confidentiality_before_responding(
    published_need, other_expert
):
    with pytest.raises(ValidationError) as error:
        _respond(published_need, other_expert)
    assert error.value.messages == ["请先签署保密承诺并阅读需求详情，再提交响应。"]
    assert not Response.objects.exists()

    matching.confidentiality_accept(need=published_need, expert=other_expert, by=other_expert.user)
    agreement = ConfidentialityAgreement.objects.get()
    assert published_need.title in agreement.text
    assert agreement.accepted_by == other_expert.user
    _respond(published_need, other_expert)
    published_need.refresh_from_db()
    assert published_need.status == S.MATCHED


def test_response_notifies_the_enterprise_once(
    matched_need, expert, enterprise_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _respond(matched_need, expert)
    assert [m.subject for m in sent_emails(enterprise_user.email)] == [
        f"专家响应了您的需求：{matched_need.title}"
    ]
    with pytest.raises(ValidationError) as error:
        _respond(matched_need, expert)
    assert error.value.messages == ["您已经响应过这条需求。"]


@pytest.mark.parametrize("close", ["withdraw", "close"])
def test_response_to_a_closed_need_is_refused_and_changes_nothing(
    matched_need, expert, enterprise_user, staff_user, close
):
    if close == "withdraw":
        needs.need_withdraw(need=matched_need, by=enterprise_user)
    else:
        needs.need_close(need=matched_need, by=staff_user, reason="企业已自行解决")
    with pytest.raises(ValidationError) as error:
        _respond(matched_need, expert)
    assert error.value.messages == ["该需求已不再接受专家响应。"]
    assert not Response.objects.exists()


def test_cost_range_upside_down_is_refused(matched_need, expert):
    with pytest.raises(ValidationError) as error:
        _respond(matched_need, expert, cost_min=20, cost_max=5)
    assert "费用下限不能高于费用上限。" in error.value.messages
    assert not Response.objects.exists()


def test_accepting_a_response_starts_the_engagement_and_sets_the_others_aside(
    matched_need, expert, other_expert, enterprise_user
):
    matching.confidentiality_accept(need=matched_need, expert=other_expert, by=other_expert.user)
    chosen = _respond(matched_need, expert)
    other = _respond(matched_need, other_expert)
    engagement = responses.response_accept(response=chosen, by=enterprise_user)

    assert engagement.expert == expert
    matched_need.refresh_from_db()
    assert matched_need.status == S.ACCEPTED
    other.refresh_from_db()
    chosen.refresh_from_db()
    assert (chosen.status, other.status) == (Response.Status.ACCEPTED, Response.Status.NOT_SELECTED)
    with pytest.raises(ValidationError) as error:
        responses.response_accept(response=other, by=enterprise_user)
    assert error.value.messages == ["这条响应已不能采纳。"]
    assert Engagement.objects.count() == 1


def test_other_enterprise_cannot_accept_a_response(
    matched_need, expert, other_enterprise_user, other_enterprise
):
    response = _respond(matched_need, expert)
    with pytest.raises(ValidationError) as error:
        responses.response_accept(response=response, by=other_enterprise_user)
    assert error.value.messages == ["只有发布需求的企业可以采纳响应。"]
    matched_need.refresh_from_db()
    assert matched_need.status == S.MATCHED


def test_clarification_thread_between_enterprise_and_expert(
    matched_need,
    expert,
    enterprise_user,
    other_expert_user,
    django_capture_on_commit_callbacks,
):
    response = _respond(matched_need, expert)
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_message_add(response=response, by=enterprise_user, body="需要驻厂吗？")
        responses.response_message_add(response=response, by=expert.user, body="前两周需要。")
    assert [m.body for m in response.messages.all()] == ["需要驻厂吗？", "前两周需要。"]
    subject = f"新的沟通留言：{matched_need.title}"
    assert [m.subject for m in sent_emails(expert.user.email)] == [subject]
    assert [m.subject for m in sent_emails(enterprise_user.email)] == [subject]
    with pytest.raises(ValidationError) as error:
        responses.response_message_add(response=response, by=other_expert_user, body="我也想说")
    assert error.value.messages == ["只有发布需求的企业和响应的专家可以在这里留言。"]


# Invisible characters only (zero-width space, BOM) are no answer.
def test_a_response_needs_a_visible_approach_and_duration(login, matched_need, expert):
    response = login(expert.user).post(
        reverse("experts:response_create", args=[matched_need.pk]),
        {"approach": "\u200b\ufeff", "duration": "\u200b\ufeff", "cost_min": "", "cost_max": ""},
    )
    assert response.content.decode().count("这个字段是必填项。") == 2
    assert not Response.objects.exists()
