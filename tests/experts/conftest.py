"""The 科协帮's records attached to the shared cast of users.

``enterprise_user`` acts for ``enterprise``, ``other_enterprise_user`` for
``other_enterprise``; ``expert_user`` is ``expert`` and ``other_expert_user``
is ``other_expert``. ``advance`` walks a need through the workflow with the
services, so each test's need has a real history.
"""

import functools

import pytest
from django.utils import timezone

from experts.models import TechNeed
from experts.services import engagements, matching, needs, responses
from tests.experts.factories import (
    EnterpriseFactory,
    ExpertFactory,
    KeywordFactory,
    NeedFactory,
    discipline,
)

S = TechNeed.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 costs a quarter of a second per user; these tests never log in by password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://kexie.test"


@pytest.fixture
def materials():
    return discipline("430")


@pytest.fixture
def battery():
    return KeywordFactory(name="锂离子电池", synonyms="锂电池、锂电")


@pytest.fixture
def enterprise(enterprise_user):
    return EnterpriseFactory(name="平湖储能科技有限公司", users=[enterprise_user])


@pytest.fixture
def other_enterprise(other_enterprise_user):
    return EnterpriseFactory(name="平湖光学仪器有限公司", users=[other_enterprise_user])


@pytest.fixture
def expert(expert_user, materials, battery):
    return ExpertFactory(name="张储能", user=expert_user, fields=[materials], keywords=[battery])


@pytest.fixture
def other_expert(other_expert_user, materials):
    return ExpertFactory(name="李材料", user=other_expert_user, fields=[materials])


def advance_need(need, to_status, *, owner, staff, expert=None):
    """Move a need along the closed loop through the services, up to ``to_status``."""
    order = [
        S.SUBMITTED,
        S.PUBLISHED,
        S.MATCHED,
        S.ACCEPTED,
        S.IN_SERVICE,
        S.RESOLVED,
        S.RATED,
        S.CLOSED,
    ]
    if to_status in (S.REJECTED, S.WITHDRAWN):
        needs.need_submit(need=need, by=owner)
        if to_status == S.REJECTED:
            needs.need_reject(need=need, by=staff, reason="信息不完整")
        else:
            needs.need_withdraw(need=need, by=owner)
        return need
    for step in order:
        if step == S.SUBMITTED:
            needs.need_submit(need=need, by=owner)
        elif step == S.PUBLISHED:
            needs.need_publish(need=need, by=staff)
        elif step == S.MATCHED:
            matching.invitation_create(need=need, expert=expert, by=staff)
        elif step == S.ACCEPTED:
            response = responses.response_create(
                need=need,
                expert=expert,
                by=expert.user,
                approach="先做失效分析",
                duration="3个月",
            )
            responses.response_accept(response=response, by=owner)
        elif step == S.IN_SERVICE:
            engagements.service_log_add(
                need=need,
                by=owner,
                kind="visit",
                occurred_on=timezone.localdate(),
                summary="专家到厂调研",
            )
        elif step == S.RESOLVED:
            engagements.engagement_resolve(need=need, by=owner, outcome="循环寿命提升30%")
        elif step == S.RATED:
            engagements.rating_create(
                need=need, by=owner, overall=5, timeliness=5, expertise=5, outcome=4
            )
        elif step == S.CLOSED:
            needs.need_close(need=need, by=staff)
        need.refresh_from_db()
        if step == to_status:
            return need
    raise AssertionError(f"cannot advance to {to_status}")


@pytest.fixture
def advance(staff_user):
    """``advance(need, to_status, owner=user, expert=expert)``: ``advance_need`` by staff_user."""
    return functools.partial(advance_need, staff=staff_user)


@pytest.fixture
def draft_need(enterprise, materials, battery):
    return NeedFactory(enterprise=enterprise, fields=[materials], keywords=[battery])


@pytest.fixture
def published_need(draft_need, advance, enterprise_user):
    return advance(draft_need, S.PUBLISHED, owner=enterprise_user)


@pytest.fixture
def matched_need(draft_need, advance, enterprise_user, expert):
    """Published, with ``expert`` invited."""
    return advance(draft_need, S.MATCHED, owner=enterprise_user, expert=expert)


@pytest.fixture
def storage_need(enterprise, materials, battery):
    return NeedFactory(
        enterprise=enterprise,
        title="储能柜热管理",
        summary="峰谷电价差大，想用储能在低谷充电。",
        fields=[materials],
        keywords=[battery],
    )
