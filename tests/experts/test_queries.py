"""Query budgets: each list and detail page costs the same number of queries
at 5 rows and at 200. The comments name the queries."""

import pytest
from django.urls import reverse

from experts.models import (
    AchievementInterest,
    ConfidentialityAgreement,
    Expert,
    Response,
    ResponseMessage,
    TechNeed,
)
from experts.models.matching import index_invalidate
from experts.services import matching, responses
from kexie.platform.accounts.models import User
from tests.experts.factories import (
    AchievementFactory,
    EnterpriseFactory,
    ExpertFactory,
    NeedFactory,
    WorkstationFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = TechNeed.Status
SIZES = [5, 200]

# Every logged-in page starts with its session, read with its user.
LOGGED_IN = 1


def _published(enterprise, staff_user, owner, count, materials):
    created = []
    for n in range(count):
        need = NeedFactory(enterprise=enterprise, fields=[materials], title=f"需求{n}")
        TechNeed.objects.filter(pk=need.pk).update(status=S.PUBLISHED)
        created.append(need)
    return created


@pytest.mark.parametrize("rows", SIZES)
def test_board(
    client, enterprise, staff_user, enterprise_user, materials, rows, django_assert_max_num_queries
):
    _published(enterprise, staff_user, enterprise_user, rows, materials)
    # count, page of needs with enterprises, their fields (prefetch), disciplines for
    # the filter, figures: transitions, ratings, experts
    with django_assert_max_num_queries(7):
        assert client.get(reverse("experts:board")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_expert_list(client, materials, rows, django_assert_max_num_queries):
    ExpertFactory.create_batch(rows, fields=[materials])
    # count, page of experts, their fields (prefetch), disciplines for the filter
    with django_assert_max_num_queries(4):
        assert client.get(reverse("experts:expert_list")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_expert_detail(client, materials, battery, rows, django_assert_max_num_queries):
    expert = ExpertFactory(fields=[materials], keywords=[battery])
    AchievementFactory.create_batch(rows, expert=expert)
    # expert, fields, keywords, achievements with fields, workstations, engagement count
    with django_assert_max_num_queries(6):
        assert client.get(expert.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_achievement_list(client, rows, django_assert_max_num_queries):
    AchievementFactory.create_batch(rows, expert=ExpertFactory())
    # count, page of achievements with field and expert
    with django_assert_max_num_queries(2):
        assert client.get(reverse("experts:achievement_list")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_workstation_list_and_detail(
    client, enterprise, materials, rows, django_assert_max_num_queries
):
    stations = WorkstationFactory.create_batch(rows, host=enterprise)
    stations[0].experts.set(ExpertFactory.create_batch(rows, fields=[materials]))
    # count, page of stations with host, town and expert count
    with django_assert_max_num_queries(2):
        assert client.get(reverse("experts:workstation_list")).status_code == 200
    # station with host, its experts, its reviews
    with django_assert_max_num_queries(3):
        assert client.get(stations[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_my_needs(
    login, enterprise_user, enterprise, materials, rows, django_assert_max_num_queries
):
    NeedFactory.create_batch(rows, enterprise=enterprise, fields=[materials])
    # enterprise ids, enterprise, needs with response counts
    client = login(enterprise_user)
    client.get(reverse("experts:board"))  # warm the session
    with django_assert_max_num_queries(LOGGED_IN + 3):
        assert client.get(reverse("experts:my_needs")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_review_queue(
    login, staff_user, enterprise, materials, rows, django_assert_max_num_queries
):
    for need in NeedFactory.create_batch(rows, enterprise=enterprise, fields=[materials]):
        TechNeed.objects.filter(pk=need.pk).update(status=S.SUBMITTED)
    # submitted needs with enterprise, holiday overrides, stuck needs with enterprise
    client = login(staff_user)
    client.get(reverse("experts:board"))  # warm the session
    with django_assert_max_num_queries(LOGGED_IN + 3):
        assert client.get(reverse("experts:review_queue")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_staff_need_list(
    login, staff_user, enterprise, materials, rows, django_assert_max_num_queries
):
    NeedFactory.create_batch(rows, enterprise=enterprise, fields=[materials])
    client = login(staff_user)
    client.get(reverse("experts:board"))  # warm the session
    # counts by status, page count, page of needs with enterprise and response counts
    with django_assert_max_num_queries(LOGGED_IN + 3):
        assert client.get(reverse("experts:staff_need_list")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_interests(login, staff_user, rows, django_assert_max_num_queries):
    achievement = AchievementFactory()
    for n in range(rows):
        AchievementInterest.objects.create(
            achievement=achievement, enterprise=EnterpriseFactory(), message=f"意向{n}"
        )
    # interests with achievement, enterprise, user and handler
    client = login(staff_user)
    client.get(reverse("experts:board"))  # warm the session
    with django_assert_max_num_queries(LOGGED_IN + 1):
        assert client.get(reverse("experts:interests")).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_expert_dashboard(
    login, expert, enterprise, materials, staff_user, rows, django_assert_max_num_queries
):
    for need in NeedFactory.create_batch(rows, enterprise=enterprise, fields=[materials]):
        TechNeed.objects.filter(pk=need.pk).update(status=S.PUBLISHED)
        matching.invitation_create(need=need, expert=expert, by=staff_user)
    # expert profile, invitations, recommendations, responses, engagements
    client = login(expert.user)
    client.get(reverse("experts:board"))  # warm the session
    with django_assert_max_num_queries(LOGGED_IN + 5):
        assert client.get(reverse("experts:expert_dashboard")).status_code == 200


def _answered_by_many(need, rows, *, field, keyword, asker):
    """``rows`` experts who accepted the need's confidentiality and answered it,
    each answer with a question from ``asker``. Written in bulk (the services
    took most of this test's time): the budget is about how many rows there are,
    not how they came; the matching index is told, as after any bulk write."""
    users = User.objects.bulk_create(UserFactory.build(role="expert") for _ in range(rows))
    experts = Expert.objects.bulk_create(ExpertFactory.build(user=user) for user in users)
    Expert.fields.through.objects.bulk_create(
        Expert.fields.through(expert=expert, discipline=field) for expert in experts
    )
    Expert.keywords.through.objects.bulk_create(
        Expert.keywords.through(expert=expert, keyword=keyword) for expert in experts
    )
    text = matching.confidentiality_text(need)
    ConfidentialityAgreement.objects.bulk_create(
        ConfidentialityAgreement(need=need, expert=expert, accepted_by=expert.user, text=text)
        for expert in experts
    )
    answers = Response.objects.bulk_create(
        Response(
            need=need, expert=expert, created_by=expert.user, approach=f"方案{n}", duration="1个月"
        )
        for n, expert in enumerate(experts)
    )
    ResponseMessage.objects.bulk_create(
        ResponseMessage(response=answer, author=asker, body="问题") for answer in answers
    )
    index_invalidate()


@pytest.mark.parametrize("rows", SIZES)
def test_need_detail_for_staff_with_many_responses_and_experts(
    login,
    staff_user,
    matched_need,
    materials,
    battery,
    enterprise_user,
    rows,
    django_assert_max_num_queries,
):
    _answered_by_many(matched_need, rows, field=materials, keyword=battery, asker=enterprise_user)
    # need with enterprise; staff: fields, keywords; attachments; engagement;
    # transitions with users; responses with experts, their messages with authors;
    # invitations with experts; recommendation: need fields, need keywords, and the index
    # (built per request inside the test's transaction): candidates, disciplines, their
    # fields, their keywords, vocabulary, stored vectors, one write of new vectors
    # (savepoint, insert, release); the review's suggestions: the vocabulary's stored
    # vectors and one write of new ones, unless this process has them already
    client = login(staff_user)
    client.get(reverse("experts:board"))  # warm the session
    with django_assert_max_num_queries(LOGGED_IN + 25):
        page = client.get(matched_need.get_absolute_url())
    assert page.status_code == 200
    assert f"方案{rows - 1}" in page.content.decode()  # every answer is on the page


@pytest.mark.parametrize("rows", SIZES)
def test_engagement_page(
    login, enterprise_user, expert, draft_need, advance, rows, django_assert_max_num_queries
):
    from django.utils import timezone

    from experts.services import engagements

    advance(draft_need, S.IN_SERVICE, owner=enterprise_user, expert=expert)
    for _ in range(rows - 1):
        engagements.service_log_add(
            need=draft_need,
            by=enterprise_user,
            kind="call",
            occurred_on=timezone.localdate(),
            summary="沟通",
        )
    # need, enterprise ids, engagement (access), expert profile; engagement with
    # expert and response, entries with authors, rating
    url = reverse("experts:engagement", args=[draft_need.pk])
    client = login(enterprise_user)
    client.get(reverse("experts:board"))  # warm the session
    with django_assert_max_num_queries(LOGGED_IN + 8):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", SIZES)
def test_public_and_invited_views_of_a_need(
    client,
    login,
    matched_need,
    expert,
    materials,
    battery,
    enterprise_user,
    rows,
    django_assert_max_num_queries,
):
    for n in range(rows):
        user = UserFactory(role="expert")
        other = ExpertFactory(user=user, fields=[materials], keywords=[battery])
        matching.confidentiality_accept(need=matched_need, expert=other, by=user)
        responses.response_create(
            need=matched_need, expert=other, by=user, approach=f"方案{n}", duration="1个月"
        )
    # need with enterprise, its fields, its keywords
    with django_assert_max_num_queries(3):
        assert client.get(matched_need.get_absolute_url()).status_code == 200
    invited = login(expert.user)
    invited.get(reverse("experts:board"))  # warm the session
    # need, enterprise ids, expert profile, fields, keywords, invited?, agreed?,
    # attachments, own responses, their messages (none to prefetch without responses)
    with django_assert_max_num_queries(LOGGED_IN + 10):
        assert invited.get(matched_need.get_absolute_url()).status_code == 200
