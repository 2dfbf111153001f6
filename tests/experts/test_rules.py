"""One predicate per permission (``experts.rules``), asked by the view and the
service alike.

Each rule is exercised twice: as it stands (who is refused, through the view
and through the service), and with the predicate itself turned to "no" for
the very user it allows, which must make the view and the service refuse
together: proof that neither keeps a copy of the rule.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts import rules
from experts.models import Engagement, Response, TechNeed
from experts.services import engagements, responses

S = TechNeed.Status


@pytest.fixture
def response(matched_need, expert):
    return responses.response_create(
        need=matched_need, expert=expert, by=expert.user, approach="先做失效分析", duration="3个月"
    )


@pytest.fixture
def engaged(draft_need, advance, enterprise_user, expert):
    return advance(draft_need, S.IN_SERVICE, owner=enterprise_user, expert=expert)


@pytest.fixture
def resolved(draft_need, advance, enterprise_user, expert):
    return advance(draft_need, S.RESOLVED, owner=enterprise_user, expert=expert)


def _refuse(monkeypatch, name):
    monkeypatch.setattr(rules, name, lambda *args, **kwargs: False)


# --- accepting a response: the enterprise, and only the enterprise ------------


def test_staff_may_not_accept_a_response_in_the_view_nor_in_the_service(
    response, staff_user, staff_client, matched_need
):
    assert not rules.can_accept_response(staff_user, response)
    page = staff_client.post(reverse("experts:response_accept", args=[response.pk]))
    assert page.status_code == 403
    with pytest.raises(ValidationError) as error:
        responses.response_accept(response=response, by=staff_user)
    assert error.value.messages == ["只有发布需求的企业可以采纳响应。"]
    matched_need.refresh_from_db()
    assert matched_need.status == S.MATCHED
    assert not Engagement.objects.exists()


def test_accepting_asks_one_predicate(monkeypatch, response, enterprise_user, login):
    assert rules.can_accept_response(enterprise_user, response)
    _refuse(monkeypatch, "can_accept_response")
    page = login(enterprise_user).post(reverse("experts:response_accept", args=[response.pk]))
    assert page.status_code == 403
    with pytest.raises(ValidationError):
        responses.response_accept(response=response, by=enterprise_user)
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED


# --- the thread under a response ----------------------------------------------


def test_messaging_asks_one_predicate(monkeypatch, response, enterprise_user, login):
    assert rules.can_message_response(enterprise_user, response)
    _refuse(monkeypatch, "can_message_response")
    page = login(enterprise_user).post(
        reverse("experts:response_message", args=[response.pk]),
        {"body": "需要驻厂吗？"},
        follow=True,
    )
    assert "只有发布需求的企业和响应的专家可以在这里留言。" in page.content.decode()
    with pytest.raises(ValidationError):
        responses.response_message_add(response=response, by=enterprise_user, body="需要驻厂吗？")
    assert not response.messages.exists()


# --- the engagement -----------------------------------------------------------


def test_logging_service_asks_one_predicate(monkeypatch, engaged, expert_user, login):
    engagement = engaged.engagement
    assert rules.can_log_service(expert_user, engagement)
    _refuse(monkeypatch, "can_log_service")
    before = engagement.log_entries.count()
    page = login(expert_user).post(
        reverse("experts:engagement_log", args=[engaged.pk]),
        {"kind": "call", "occurred_on": timezone.localdate().isoformat(), "summary": "电话沟通"},
        follow=True,
    )
    assert "只有对接双方和科协工作人员可以操作。" in page.content.decode()
    with pytest.raises(ValidationError):
        engagements.service_log_add(
            need=engaged, by=expert_user, kind="call", occurred_on=timezone.localdate(), summary="x"
        )
    assert engagement.log_entries.count() == before


def test_the_expert_may_not_resolve_in_the_view_nor_in_the_service(engaged, expert_user, login):
    assert not rules.can_resolve(expert_user, engaged)
    page = login(expert_user).post(
        reverse("experts:engagement_resolve", args=[engaged.pk]), {"outcome": "完成"}
    )
    assert page.status_code == 403
    with pytest.raises(ValidationError):
        engagements.engagement_resolve(need=engaged, by=expert_user, outcome="完成")
    engaged.refresh_from_db()
    assert engaged.status == S.IN_SERVICE


def test_resolving_asks_one_predicate(monkeypatch, engaged, enterprise_user, login):
    assert rules.can_resolve(enterprise_user, engaged)
    _refuse(monkeypatch, "can_resolve")
    page = login(enterprise_user).post(
        reverse("experts:engagement_resolve", args=[engaged.pk]), {"outcome": "完成"}
    )
    assert page.status_code == 403
    with pytest.raises(ValidationError) as error:
        engagements.engagement_resolve(need=engaged, by=enterprise_user, outcome="完成")
    assert error.value.messages == ["只有发布需求的企业和科协工作人员可以标记解决。"]
    engaged.refresh_from_db()
    assert engaged.status == S.IN_SERVICE


def test_rating_asks_one_predicate(monkeypatch, resolved, enterprise_user, login):
    assert rules.can_rate(enterprise_user, resolved)
    _refuse(monkeypatch, "can_rate")
    scores = {"overall": 5, "timeliness": 5, "expertise": 5, "outcome": 5}
    page = login(enterprise_user).post(reverse("experts:rate", args=[resolved.pk]), scores)
    assert page.status_code == 403
    with pytest.raises(ValidationError) as error:
        engagements.rating_create(need=resolved, by=enterprise_user, **scores)
    assert error.value.messages == ["只有发布需求的企业可以评价。"]
    resolved.refresh_from_db()
    assert resolved.status == S.RESOLVED


# --- need status: the actor comes from one place --------------------------------


def test_changing_a_need_status_asks_one_predicate(monkeypatch, draft_need, enterprise_user, login):
    assert rules.need_actor(enterprise_user, draft_need) == "owner"
    monkeypatch.setattr(rules, "need_actor", lambda user, need: None)
    page = login(enterprise_user).post(
        reverse("experts:need_action", args=[draft_need.pk]), {"to_status": S.SUBMITTED}
    )
    # The page still shows the need (access), the change itself is refused.
    assert page.status_code == 302
    draft_need.refresh_from_db()
    assert draft_need.status == S.DRAFT
