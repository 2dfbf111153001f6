"""Each signal of the matching score on small hand-made data, and its explanation."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from experts.matching import index as index_module
from experts.matching import reasons as why
from experts.matching import recommend_experts
from experts.matching.weights import DEFAULT_WEIGHTS, SIGNALS
from experts.models import Engagement, Expert, Invitation, Rating, Response, TechNeed
from tests.experts.factories import ExpertFactory, KeywordFactory, NeedFactory, discipline

R = Expert.Region


@pytest.fixture(autouse=True)
def _lexical_signals(settings):
    # These are the signals other than the semantic bridge, which has its own
    # tests (test_matching_semantic.py).
    settings.EXPERTS_MATCH_SEMANTIC = False


@pytest.fixture
def plain_need(enterprise):
    """Written as an enterprise writes: no field, no keyword, plain words."""

    def _need(text, **kwargs):
        return NeedFactory(
            enterprise=enterprise, title=text[:20], summary=text, fields=[], **kwargs
        )

    return _need


@pytest.fixture
def vision():
    return KeywordFactory(
        name="机器视觉", synonyms="机器看、视觉检测、拍照检测", discipline=discipline("520")
    )


def test_text_similarity_finds_an_expert_from_the_biography_alone(plain_need):
    moulding = ExpertFactory(
        fields=[discipline("460")], biography="研究注射成型工艺，解决制品缩痕与翘曲。"
    )
    ExpertFactory(fields=[discipline("550")], biography="研究果蔬保鲜。")
    [rec] = recommend_experts(plain_need("注塑件老是有缩痕"))
    assert rec.expert == moulding
    assert rec.reasons == [
        why.reason(why.RELATED_FIELDS, names=["机械工程"]),
        why.reason(why.PROFILE_WORDS, words=["缩痕"]),
        why.reason(why.DELTA_EXPERT, region="zhejiang"),
    ]
    # One shared word: a text part, though not the full one (see TEXT_FULL_SCORE).
    assert 0 < rec.signals["text"] < DEFAULT_WEIGHTS["text"]
    assert rec.signals["keyword"] == 0


def test_a_count_in_chinese_numerals_is_no_shared_word(plain_need):
    """「十余年」 in a need and in a biography says nothing about a speciality: it is
    neither a text match nor a reason shown to staff."""
    ExpertFactory(fields=[discipline("550")], biography="从事果蔬保鲜十余年，服务三十多家企业。")
    assert recommend_experts(plain_need("设备用了十余年，想找三十多家企业的经验")) == []


def test_plain_words_reach_the_technical_keyword_through_its_synonyms(plain_need, vision):
    seer = ExpertFactory(fields=[discipline("520")], keywords=[vision], region=R.LOCAL)
    [rec] = recommend_experts(plain_need("想把产线上的质检换成机器看"))
    assert rec.expert == seer
    # The keyword's field counts as a related field, less than a chosen one would.
    assert rec.reasons[:2] == [
        why.reason(why.RELATED_FIELDS, names=["计算机科学技术"]),
        why.reason(why.KEYWORDS, names=["机器视觉"]),
    ]
    assert 0 < rec.signals["field"] < DEFAULT_WEIGHTS["field"]
    assert rec.signals["keyword"] == DEFAULT_WEIGHTS["keyword"] / 2


def test_unapproved_keyword_does_not_expand_the_query(plain_need):
    pending = KeywordFactory(name="机器视觉", synonyms="机器看", is_approved=False)
    tagged = ExpertFactory(fields=[discipline("520")], keywords=[pending])
    ExpertFactory(fields=[discipline("460")], biography="视觉成像")  # only through expansion
    [rec] = recommend_experts(plain_need("想把质检换成机器看"))  # the words still match
    assert rec.expert == tagged
    assert rec.signals["keyword"] == 0
    assert why.KEYWORDS not in [reason["code"] for reason in rec.reasons]


def test_unapproved_keyword_counts_by_its_own_name(plain_need):
    pending = KeywordFactory(name="激光熔覆", synonyms="熔覆层", is_approved=False)
    tagged = ExpertFactory(fields=[discipline("460")], keywords=[pending])
    [rec] = recommend_experts(plain_need("轴类零件想做激光熔覆修复"))
    assert rec.expert == tagged
    assert rec.reasons[1] == why.reason(why.KEYWORDS, names=["激光熔覆"])


def test_the_field_is_a_bonus_not_a_filter(enterprise, materials):
    need = NeedFactory(
        enterprise=enterprise, title="注塑件缩痕", summary="注塑件老是有缩痕", fields=[materials]
    )
    in_field = ExpertFactory(fields=[materials])
    elsewhere = ExpertFactory(fields=[discipline("460")], biography="注塑件缩痕分析与模具优化。")
    ranking = recommend_experts(need)
    assert [rec.expert for rec in ranking] == [elsewhere, in_field]
    by_expert = {rec.expert: rec for rec in ranking}
    assert by_expert[in_field].reasons[0] == why.reason(why.SAME_FIELDS, names=["材料科学"])
    # The text points to mechanical engineering, not to the chosen field.
    assert by_expert[elsewhere].reasons[0] == why.reason(why.RELATED_FIELDS, names=["机械工程"])
    assert by_expert[in_field].signals["field"] < DEFAULT_WEIGHTS["field"]


def test_local_expert_outranks_an_equal_one_from_the_delta_and_from_elsewhere(
    storage_need, materials
):
    far = ExpertFactory(fields=[materials], region=R.OTHER)
    delta = ExpertFactory(fields=[materials], region=R.SHANGHAI)
    local = ExpertFactory(fields=[materials], region=R.LOCAL)
    ranking = recommend_experts(storage_need)
    assert [rec.expert for rec in ranking] == [local, delta, far]
    assert [rec.reasons[-1] for rec in ranking] == [
        why.reason(why.LOCAL_EXPERT),
        why.reason(why.DELTA_EXPERT, region="shanghai"),
        why.reason(why.SAME_FIELDS, names=["材料科学"]),
    ]


def _engagement(expert, *, status=TechNeed.Status.RATED, overall=None):
    need = NeedFactory(fields=[])
    TechNeed.objects.filter(pk=need.pk).update(status=status)
    response = Response.objects.create(
        need=need, expert=expert, approach="方案", duration="1个月", status="accepted"
    )
    engagement = Engagement.objects.create(need=need, response=response, expert=expert)
    if overall is not None:
        Rating.objects.create(
            engagement=engagement, overall=overall, timeliness=5, expertise=5, outcome=5
        )
    return engagement


def test_well_rated_expert_ranks_higher_and_says_so(storage_need, materials):
    unrated = ExpertFactory(fields=[materials])
    praised = ExpertFactory(fields=[materials])
    _engagement(praised, overall=5)
    _engagement(praised, overall=4)
    ranking = recommend_experts(storage_need)
    assert [rec.expert for rec in ranking] == [praised, unrated]
    assert why.reason(why.RATING, mean=4.5, count=2) in ranking[0].reasons
    # (4.5 - 3) / 2, shrunk by 2 / (2 + 2)
    assert ranking[0].signals["rating"] == pytest.approx(DEFAULT_WEIGHTS["rating"] * 0.375)


def test_response_rate_counts_last_years_invitations_only(storage_need, materials):
    silent = ExpertFactory(fields=[materials])
    answering = ExpertFactory(fields=[materials])
    for expert, answered in [(silent, False), (answering, True), (answering, False)]:
        need = NeedFactory(fields=[])
        Invitation.objects.create(need=need, expert=expert)
        if answered:
            Response.objects.create(need=need, expert=expert, approach="方案", duration="1个月")
    old = Invitation.objects.create(
        need=NeedFactory(fields=[]), expert=answering, created_at=timezone.now()
    )
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    ranking = recommend_experts(storage_need)
    assert [rec.expert for rec in ranking] == [answering, silent]
    assert why.reason(why.RESPONSE_RATE, rate=50) in ranking[0].reasons
    assert why.reason(why.RESPONSE_RATE, rate=0) in ranking[1].reasons
    assert ranking[1].signals["response"] == -0.5 * DEFAULT_WEIGHTS["response"]


def test_open_engagements_push_a_busy_expert_down(storage_need, materials):
    occupied = ExpertFactory(fields=[materials])
    free = ExpertFactory(fields=[materials])
    _engagement(occupied, status=TechNeed.Status.IN_SERVICE)
    ranking = recommend_experts(storage_need)
    assert [rec.expert for rec in ranking] == [free, occupied]
    assert ranking[1].reasons[-1] == why.reason(why.OPEN_ENGAGEMENTS, count=1)
    assert ranking[1].signals["workload"] == -0.25 * DEFAULT_WEIGHTS["workload"]


def test_signals_add_up_to_the_score(storage_need, materials, battery):
    expert = ExpertFactory(
        fields=[materials], keywords=[battery], region=R.LOCAL, biography="储能电池热管理"
    )
    _engagement(expert, overall=5)
    [rec] = recommend_experts(storage_need)
    assert set(rec.signals) == set(SIGNALS)
    assert sum(rec.signals.values()) == pytest.approx(rec.score, abs=1e-3)
    assert [label for label, _part in rec.signal_parts][:4] == [
        "文本相似",
        "语义相近",
        "领域",
        "关键词",
    ]


def test_weights_come_from_settings(settings, storage_need, materials):
    settings.EXPERTS_MATCH_WEIGHTS = {"field": 0, "text": 0, "keyword": 0}
    ExpertFactory(fields=[materials])
    assert recommend_experts(storage_need) == []
    settings.EXPERTS_MATCH_WEIGHTS = {"region": 10}
    far = ExpertFactory(fields=[materials], region=R.OTHER, keywords=[])
    local = ExpertFactory(fields=[discipline("470")], region=R.LOCAL, biography="储能")
    assert [rec.expert for rec in recommend_experts(storage_need)][:1] == [local]
    assert far in [rec.expert for rec in recommend_experts(storage_need)]


@pytest.mark.parametrize("weights", [{"speed": 1}, {"text": "high"}, {"text": True}, [1]])
def test_bad_weights_fail_loudly(settings, storage_need, weights):
    settings.EXPERTS_MATCH_WEIGHTS = weights
    ExpertFactory()
    with pytest.raises(ImproperlyConfigured):
        recommend_experts(storage_need)


@pytest.fixture
def kept_index(db, monkeypatch):
    """As outside a transaction, where the index is kept between calls."""
    monkeypatch.setattr(index_module, "connection", SimpleNamespace(in_atomic_block=False))
    index_module.forget_index()
    yield
    index_module.forget_index()


def test_index_is_kept_until_an_expert_changes(kept_index, materials):
    expert = ExpertFactory(fields=[materials])
    first = index_module.current_index()
    assert index_module.current_index() is first
    expert.biography = "储能"
    expert.save()
    second = index_module.current_index()
    assert second is not first
    expert.keywords.add(KeywordFactory(name="储能"))
    assert index_module.current_index() is not second


def test_index_is_rebuilt_when_it_grows_old(kept_index, settings, materials):
    ExpertFactory(fields=[materials])
    first = index_module.current_index()
    settings.EXPERTS_MATCH_INDEX_SECONDS = 0
    assert index_module.current_index() is not first


def test_index_built_inside_a_transaction_serves_that_call_only(db, materials):
    ExpertFactory(fields=[materials])
    assert index_module.current_index() is not index_module.current_index()


def test_ranking_against_a_kept_index_reads_only_the_need(
    kept_index, storage_need, materials, django_assert_num_queries
):
    for _ in range(5):
        ExpertFactory(fields=[materials])
    recommend_experts(storage_need)
    # the need's fields, its keywords
    with django_assert_num_queries(2):
        assert len(recommend_experts(storage_need)) == 5


def test_one_everyday_word_shared_is_not_a_full_text_match(plain_need):
    # Text parts are shares of the need's best BM25 score, but never of less than
    # TEXT_FULL_SCORE: a lone shared word must not look like the perfect match.
    ExpertFactory(biography="负责车间电机的日常维护。")
    [rec] = recommend_experts(plain_need("车间电机"))
    assert 0 < rec.signals["text"] < DEFAULT_WEIGHTS["text"] / 2
