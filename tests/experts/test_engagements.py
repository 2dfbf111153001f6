import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from experts.models import Rating, ServiceLogEntry, TechNeed
from experts.services import engagements
from tests.helpers import sent_emails

S = TechNeed.Status


@pytest.fixture
def accepted_need(draft_need, advance, enterprise_user, expert):
    return advance(draft_need, S.ACCEPTED, owner=enterprise_user, expert=expert)


def test_first_log_entry_starts_the_service(accepted_need, expert):
    engagements.service_log_add(
        need=accepted_need,
        by=expert.user,
        kind="call",
        occurred_on=timezone.localdate(),
        summary="电话了解现场情况",
    )
    accepted_need.refresh_from_db()
    assert accepted_need.status == S.IN_SERVICE
    last = accepted_need.transitions.order_by("-pk").first()
    assert (last.from_status, last.to_status, last.by) == (S.ACCEPTED, S.IN_SERVICE, expert.user)


def test_log_entry_in_the_future_is_refused(accepted_need, expert):
    with pytest.raises(ValidationError) as error:
        engagements.service_log_add(
            need=accepted_need,
            by=expert.user,
            kind="visit",
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
            summary="x",
        )
    assert error.value.message_dict == {"occurred_on": ["日期不能晚于今天。"]}
    assert not ServiceLogEntry.objects.exists()


def test_uninvolved_expert_cannot_log(accepted_need, other_expert):
    with pytest.raises(ValidationError) as error:
        engagements.service_log_add(
            need=accepted_need,
            by=other_expert.user,
            kind="visit",
            occurred_on=timezone.localdate(),
            summary="x",
        )
    assert error.value.messages == ["只有对接双方和科协工作人员可以操作。"]


def test_resolution_asks_the_enterprise_to_rate_once(
    draft_need, advance, enterprise_user, expert, django_capture_on_commit_callbacks
):
    advance(draft_need, S.IN_SERVICE, owner=enterprise_user, expert=expert)
    with django_capture_on_commit_callbacks(execute=True):
        engagements.engagement_resolve(need=draft_need, by=enterprise_user, outcome="良品率提升")
    assert f"请为本次服务评价：{draft_need.title}" in [
        m.subject for m in sent_emails(enterprise_user.email)
    ]


def test_rating_scores_outside_one_to_five_are_refused(
    draft_need, advance, enterprise_user, expert
):
    advance(draft_need, S.RESOLVED, owner=enterprise_user, expert=expert)
    with pytest.raises(ValidationError):
        engagements.rating_create(
            need=draft_need, by=enterprise_user, overall=6, timeliness=5, expertise=5, outcome=5
        )
    assert not Rating.objects.exists()
    draft_need.refresh_from_db()
    assert draft_need.status == S.RESOLVED


def test_rating_moves_need_to_rated_and_expert_may_reply(
    draft_need, advance, enterprise_user, expert
):
    advance(draft_need, S.RESOLVED, owner=enterprise_user, expert=expert)
    rating = engagements.rating_create(
        need=draft_need,
        by=enterprise_user,
        overall=4,
        timeliness=5,
        expertise=4,
        outcome=3,
        comment="响应很快",
    )
    draft_need.refresh_from_db()
    assert draft_need.status == S.RATED
    engagements.rating_reply(need=draft_need, by=expert.user, reply="谢谢，会继续跟进。")
    rating.refresh_from_db()
    assert rating.expert_reply == "谢谢，会继续跟进。"
    with pytest.raises(ValidationError) as error:
        engagements.rating_create(
            need=draft_need, by=enterprise_user, overall=1, timeliness=1, expertise=1, outcome=1
        )
    assert error.value.messages == ["只有已解决的需求可以评价。"]


def test_rating_before_resolution_is_refused(accepted_need, enterprise_user):
    with pytest.raises(ValidationError) as error:
        engagements.rating_create(
            need=accepted_need,
            by=enterprise_user,
            overall=5,
            timeliness=5,
            expertise=5,
            outcome=5,
        )
    assert error.value.messages == ["只有已解决的需求可以评价。"]
