import dataclasses

import pytest

from experts.matching import Recommendation, recommend_experts
from experts.matching import reasons as why
from experts.models import Expert, NeedRecommendation
from experts.services.matching import need_recommendations_refresh
from tests.experts.factories import ExpertFactory, KeywordFactory, NeedFactory, discipline


@pytest.fixture(autouse=True)
def _lexical_signals(settings):
    # These rules are about the words, fields and keywords; the semantic bridge has
    # its own tests (test_matching_semantic.py).
    settings.EXPERTS_MATCH_SEMANTIC = False


def test_shared_field_and_keywords_rank_first_and_say_so(storage_need, materials, battery):
    storage = KeywordFactory(name="储能")
    both = ExpertFactory(name="甲", fields=[materials], keywords=[battery, storage])
    field_only = ExpertFactory(name="乙", fields=[materials])
    ExpertFactory(name="丙", fields=[discipline("550")])  # food science: unrelated

    ranking = recommend_experts(storage_need)

    assert [rec.expert for rec in ranking] == [both, field_only]
    assert ranking[0].reasons == [
        why.reason(why.SAME_FIELDS, names=["材料科学"]),
        why.reason(why.KEYWORDS, names=["储能", "锂离子电池"]),
        why.reason(why.DELTA_EXPERT, region="zhejiang"),
    ]
    assert ranking[0].score > ranking[1].score
    assert ranking[1].reasons == [
        why.reason(why.SAME_FIELDS, names=["材料科学"]),
        why.reason(why.DELTA_EXPERT, region="zhejiang"),
    ]


def test_keyword_counts_when_a_synonym_appears_in_the_public_text(enterprise):
    peak = KeywordFactory(name="峰谷电价", synonyms="峰谷价差")
    need = NeedFactory(
        enterprise=enterprise, title="想在低谷充电", summary="电费峰谷价差大", fields=[]
    )
    expert = ExpertFactory(fields=[discipline("470")], keywords=[peak])
    [rec] = recommend_experts(need)
    assert rec.expert == expert
    # The words the need shares with this expert's profile point to the expert's field too.
    assert rec.reasons == [
        why.reason(why.RELATED_FIELDS, names=["动力与电气工程"]),
        why.reason(why.KEYWORDS, names=["峰谷电价"]),
        why.reason(why.DELTA_EXPERT, region="zhejiang"),
    ]


def test_confidential_details_never_feed_the_reasons(enterprise):
    secret = KeywordFactory(name="石墨烯")
    need = NeedFactory(
        enterprise=enterprise, summary="涂层耐磨性不足", details="拟用石墨烯", fields=[]
    )
    ExpertFactory(fields=[discipline("470")], keywords=[secret])
    assert recommend_experts(need) == []


@pytest.mark.parametrize(
    "hidden",
    [
        {"is_public": False},
        {"is_active": False},
        {"availability": Expert.Availability.UNAVAILABLE},
    ],
)
def test_private_inactive_or_unavailable_experts_are_never_recommended(
    storage_need, materials, hidden
):
    ExpertFactory(fields=[materials], **hidden)
    assert recommend_experts(storage_need) == []


def test_busy_expert_ranks_after_an_equal_available_one(storage_need, materials):
    busy = ExpertFactory(fields=[materials], availability=Expert.Availability.BUSY)
    free = ExpertFactory(fields=[materials])
    ranking = recommend_experts(storage_need)
    assert [rec.expert for rec in ranking] == [free, busy]
    assert ranking[1].reasons[-1] == why.reason(why.BUSY)


def test_ties_are_broken_by_id_so_the_ranking_is_stable(storage_need, materials):
    experts = [ExpertFactory(fields=[materials]) for _ in range(6)]
    first = [rec.expert.pk for rec in recommend_experts(storage_need, limit=4)]
    again = [rec.expert.pk for rec in recommend_experts(storage_need, limit=4)]
    assert first == again == [e.pk for e in experts[:4]]


def test_recommendation_is_a_frozen_value():
    rec = Recommendation(expert=None, score=1.0, reasons=[why.reason(why.BUSY)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.score = 2.0


def test_snapshot_on_publish_feeds_the_expert_dashboard(expert, published_need):
    rows = list(NeedRecommendation.objects.filter(need=published_need))
    assert [(row.rank, row.expert) for row in rows] == [(1, expert)]
    assert rows[0].reasons[:2] == [
        why.reason(why.SAME_FIELDS, names=["材料科学"]),
        why.reason(why.KEYWORDS, names=["锂离子电池"]),
    ]
    expert.is_public = False
    expert.save()
    need_recommendations_refresh(need=published_need)
    assert not NeedRecommendation.objects.filter(need=published_need).exists()


@pytest.mark.parametrize("semantic", [False, True])
def test_ranking_uses_a_fixed_number_of_queries(
    settings, storage_need, materials, battery, django_assert_max_num_queries, semantic
):
    settings.EXPERTS_MATCH_SEMANTIC = semantic
    for _ in range(30):
        ExpertFactory(fields=[materials], keywords=[battery])
    # need fields, need keywords; the index: experts with their activity, the
    # disciplines, the experts' fields, their keywords, the vocabulary; with the
    # semantic bridge, the stored vectors and one write of the new ones (savepoint,
    # insert, release)
    with django_assert_max_num_queries(11 if semantic else 7):
        assert len(recommend_experts(storage_need)) == 10


def test_staff_see_each_signals_part_of_the_score_and_the_enterprise_only_the_reasons(
    login, staff_user, enterprise_user, expert, published_need
):
    staff_page = login(staff_user).get(published_need.get_absolute_url()).content.decode()
    owner_page = login(enterprise_user).get(published_need.get_absolute_url()).content.decode()
    for page in (staff_page, owner_page):
        assert "关键词：锂离子电池" in page
    assert "得分 " in staff_page
    assert "文本相似 " in staff_page and "工作负荷 0.00" in staff_page
    assert "得分 " not in owner_page
