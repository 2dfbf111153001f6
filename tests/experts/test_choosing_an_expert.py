"""Choosing an expert: the enterprise confirms first (it cannot be undone), and
the experts it did not choose are shown what is true, not a dead link."""

import pytest
from django.urls import reverse

from experts.models import Engagement, Invitation, Response, TechNeed
from experts.services import matching, responses
from tests.experts.factories import ExpertFactory
from tests.factories import UserFactory

S = TechNeed.Status


@pytest.fixture
def two_responses(matched_need, expert, other_expert, staff_user):
    matching.invitation_create(need=matched_need, expert=other_expert, by=staff_user)
    chosen = responses.response_create(
        need=matched_need, expert=expert, by=expert.user, approach="方案甲", duration="1个月"
    )
    other = responses.response_create(
        need=matched_need,
        expert=other_expert,
        by=other_expert.user,
        approach="方案乙",
        duration="2个月",
    )
    return chosen, other


def test_accepting_asks_first_and_changes_nothing_until_confirmed(
    two_responses, login, enterprise_user, matched_need
):
    chosen, _other = two_responses
    url = reverse("experts:response_accept", args=[chosen.pk])
    client = login(enterprise_user)
    page = client.post(url, {"reason": "方案更贴合产线"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "确定采纳张储能的响应吗？" in text
    assert "不能再改选其他专家" in text
    # What was typed is carried to the confirmation.
    assert 'name="reason" value="方案更贴合产线"' in text
    assert 'name="confirmed" value="yes"' in text
    matched_need.refresh_from_db()
    assert matched_need.status == S.MATCHED
    assert not Engagement.objects.exists()

    done = client.post(url, {"reason": "方案更贴合产线", "confirmed": "yes"})
    assert done.url == reverse("experts:engagement", args=[matched_need.pk])
    matched_need.refresh_from_db()
    assert matched_need.status == S.ACCEPTED
    assert Engagement.objects.get().response == chosen


def test_the_need_page_offers_the_accept_button(two_responses, login, enterprise_user):
    chosen, _other = two_responses
    page = login(enterprise_user).get(chosen.need.get_absolute_url()).content.decode()
    assert reverse("experts:response_accept", args=[chosen.pk]) in page
    assert "采纳该响应" in page


@pytest.fixture
def accepted(two_responses, enterprise_user):
    chosen, other = two_responses
    responses.response_accept(response=chosen, by=enterprise_user)
    return chosen, other


def test_an_expert_not_chosen_is_told_so_without_a_dead_link(accepted, login, other_expert):
    chosen, other = accepted
    client = login(other_expert.user)
    page = client.get(chosen.need.get_absolute_url()).content.decode()
    engagement_url = reverse("experts:engagement", args=[chosen.need_id])
    assert "企业已选择其他专家对接这项需求。感谢您的响应" in page
    assert engagement_url not in page
    assert "查看对接服务" not in page
    # ... and the page it used to link to is indeed not theirs.
    assert client.get(engagement_url).status_code == 404
    other.refresh_from_db()
    assert other.status == Response.Status.NOT_SELECTED


def test_an_invited_expert_who_did_not_respond_is_told_too(accepted, login, staff_user, materials):
    chosen, _other = accepted
    silent = ExpertFactory(user=UserFactory(role="expert"), fields=[materials])
    # Invited before the choice; never answered.
    Invitation.objects.create(need=chosen.need, expert=silent, invited_by=staff_user)
    page = login(silent.user).get(chosen.need.get_absolute_url()).content.decode()
    assert "企业已选择其他专家对接这项需求。感谢您的关注" in page
    assert "查看对接服务" not in page


def test_the_chosen_expert_and_the_owner_keep_the_link(accepted, login, expert, enterprise_user):
    chosen, _other = accepted
    engagement_url = reverse("experts:engagement", args=[chosen.need_id])
    for user in (expert.user, enterprise_user):
        page = login(user).get(chosen.need.get_absolute_url()).content.decode()
        assert engagement_url in page
        assert "企业已选择其他专家" not in page
