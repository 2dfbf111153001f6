"""A new expert's dashboard is not empty until the night: approving an expert, an
expert changing their own profile, or staff saving one in the admin refreshes every
open need's ranking once the change commits (one refresh for changes that come
together), so the needs that suit them show at once."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from experts.models import Expert, NeedRecommendation
from experts.services import applications, catalogue, matching
from kexie.platform.accounts.models import User
from tests.experts.factories import NeedFactory, discipline
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_queued_refresh():
    cache.delete(matching.REFRESH_QUEUED)
    yield
    cache.delete(matching.REFRESH_QUEUED)


@pytest.fixture
def storage_need_published(enterprise, materials, battery, advance, enterprise_user):
    need = NeedFactory(
        enterprise=enterprise,
        title="储能电池包热失控预警",
        summary="储能柜里的锂电池包温度异常，想提前预警。",
        fields=[materials],
        keywords=[battery],
    )
    return advance(need, "published", owner=enterprise_user)


def apply_as(user, materials):
    return applications.application_submit(
        user=user,
        name="钱电池",
        title=Expert.Title.PROFESSOR,
        organisation="嘉兴学院",
        region=Expert.Region.ZHEJIANG,
        fields=[materials],
        keywords=["锂离子电池", "热管理"],
        biography="研究锂离子电池热失控十余年。",
    )


def test_an_approved_expert_finds_the_needs_that_suit_them_on_their_first_visit(
    storage_need_published, materials, staff_user, login, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(name="钱电池", email="qian@example.cn", role=User.Role.PUBLIC)
    application = apply_as(newcomer, materials)
    with django_capture_on_commit_callbacks(execute=True):
        expert = applications.application_approve(application=application, by=staff_user)

    assert NeedRecommendation.objects.filter(need=storage_need_published, expert=expert).exists()
    page = login(newcomer).get(reverse("experts:expert_dashboard")).content.decode()
    assert storage_need_published.title in page
    assert "暂无推荐" not in page


def test_an_expert_who_adds_the_right_field_is_recommended_at_once(
    storage_need_published, other_expert, battery, django_capture_on_commit_callbacks
):
    other_expert.fields.set([discipline("110")])
    other_expert.keywords.clear()
    NeedRecommendation.objects.filter(expert=other_expert).delete()
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.expert_profile_update(
            expert=other_expert,
            by=other_expert.user,
            title=other_expert.title,
            organisation=other_expert.organisation,
            region=other_expert.region,
            fields=[discipline("430")],
            keywords=[battery.name],
            biography="锂离子电池储能系统。",
            availability=Expert.Availability.AVAILABLE,
            is_public=True,
        )
    assert NeedRecommendation.objects.filter(
        need=storage_need_published, expert=other_expert
    ).exists()


def test_changes_that_come_together_share_one_refresh(
    django_capture_on_commit_callbacks,
):
    with mock.patch("experts.tasks.recommendations_refresh.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            matching.recommendations_refresh_enqueue()
            matching.recommendations_refresh_enqueue()
        with django_capture_on_commit_callbacks(execute=True):
            matching.recommendations_refresh_enqueue()
    assert delay.call_count == 1


def test_a_change_made_after_the_refresh_started_gets_its_own(
    django_capture_on_commit_callbacks,
):
    from experts.services.reminders import recommendations_refresh_all

    with mock.patch("experts.tasks.recommendations_refresh.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            matching.recommendations_refresh_enqueue()
        recommendations_refresh_all()
        with django_capture_on_commit_callbacks(execute=True):
            matching.recommendations_refresh_enqueue()
    assert delay.call_count == 2


def test_a_broker_that_is_down_leaves_the_refresh_to_the_night(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch(
            "experts.tasks.recommendations_refresh.delay", side_effect=ConnectionError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        matching.recommendations_refresh_enqueue()
    # Not left marked as queued: the next change asks again.
    assert cache.get(matching.REFRESH_QUEUED) is None


def test_nothing_is_refreshed_when_the_change_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch("experts.tasks.recommendations_refresh.delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        matching.recommendations_refresh_enqueue()
    assert len(callbacks) == 1
    assert delay.call_count == 0


def test_staff_saving_an_expert_in_the_admin_refresh_the_rankings(
    staff_client, expert, django_capture_on_commit_callbacks
):
    data = {
        "name": expert.name,
        "title": expert.title,
        "organisation": "浙江大学",
        "region": expert.region,
        "fields": [field.pk for field in expert.fields.all()],
        "keywords": [keyword.pk for keyword in expert.keywords.all()],
        "availability": expert.availability,
        "is_public": "on",
        "is_active": "on",
        "language": expert.language,
        "user": expert.user_id,
    }
    with (
        mock.patch("experts.tasks.recommendations_refresh.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_client.post(reverse("admin:experts_expert_change", args=[expert.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    expert.refresh_from_db()
    assert expert.organisation == "浙江大学"
    assert delay.call_count == 1
