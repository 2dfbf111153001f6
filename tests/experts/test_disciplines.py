"""Disciplines inferred from plain words: the suggestions behind the picker."""

import pytest

from experts.matching.disciplines import MAX_TEXT_LENGTH, infer_disciplines
from tests.experts.factories import KeywordFactory, discipline

pytestmark = pytest.mark.django_db


def codes(text: str, **kwargs) -> list[str]:
    return [d.code for d, _score in infer_disciplines(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("注塑件表面有缩水，想请专家看看模具", "460"),
        ("夜里充电白天放电，电费太贵", "480"),
        ("我们养了很多猪，想减少疫病", "230"),
        ("生产线质检靠人眼，漏检多，想用机器看", "520"),
        ("茶叶保鲜的问题", "550"),
        ("面料起球，印染色差大", "540"),
    ],
)
def test_plain_words_lead_to_the_coded_discipline(text, expected):
    assert codes(text)[0] == expected


def test_the_name_of_a_discipline_counts_most():
    ranked = infer_disciplines("材料科学方面的问题，也和机械有关")
    assert ranked[0][0].code == "430"
    assert ranked[0][1] > ranked[1][1]


def test_a_keyword_of_the_vocabulary_counts_for_its_discipline():
    KeywordFactory(name="缩痕缺陷", synonyms="表面凹坑", discipline=discipline("430"))
    assert codes("产品有表面凹坑") == ["430"]


def test_an_unapproved_keyword_does_not_count():
    KeywordFactory(name="某企业自造词", discipline=discipline("730"), is_approved=False)
    assert codes("某企业自造词") == []


def test_one_character_words_count_only_as_whole_words():
    # 核 of 核心 is not nuclear science; 猪 on its own is pig farming.
    assert "490" not in codes("核心部件的寿命")
    assert "230" in codes("猪的饲养")


def test_nothing_is_suggested_for_empty_or_meaningless_text():
    assert infer_disciplines("") == []
    assert infer_disciplines("   ") == []
    assert infer_disciplines("你好") == []


def test_limit_and_order_are_kept():
    text = "电池 养猪 软件 建筑 纺织 食品 水利 法律"
    ranked = infer_disciplines(text, limit=3)
    assert len(ranked) == 3
    scores = [score for _d, score in ranked]
    assert scores == sorted(scores, reverse=True)
    # Equal scores: the lower code first.
    same = [d.code for d, score in ranked if score == scores[0]]
    assert same == sorted(same)
    assert infer_disciplines(text, limit=0) == []


def test_only_the_first_part_of_a_very_long_text_is_read():
    text = "你" * MAX_TEXT_LENGTH + "养猪"
    assert infer_disciplines(text) == []


def test_no_query_once_the_index_is_built(monkeypatch, django_assert_num_queries):
    from types import SimpleNamespace

    from experts.matching import index as index_module

    # As outside a transaction, where the process keeps its index between calls.
    monkeypatch.setattr(index_module, "connection", SimpleNamespace(in_atomic_block=False))
    index_module.forget_index()
    try:
        infer_disciplines("注塑")
        with django_assert_num_queries(0):
            infer_disciplines("注塑 模具 电池 养猪 软件 " * 50)
    finally:
        index_module.forget_index()


def _centroid_index(vectors, by_field):
    import numpy as np

    from experts.matching.index import MatchIndex

    return MatchIndex(
        docs=[],
        postings={},
        by_field=by_field,
        by_keyword={},
        vocabulary={},
        vectors=np.array(vectors, dtype=np.float32),
    )


def test_the_centroid_classifier_believes_most_in_the_nearest_discipline(settings):
    import numpy as np

    from experts.matching.disciplines import centroid_evidence

    settings.EXPERTS_MATCH_SEMANTIC = False  # plain products, no calibration
    # Discipline 1's profiles average (0.9, 0.3); discipline 2's is (0, 1).
    index = _centroid_index([[1, 0], [0.8, 0.6], [0, 1]], {1: [0, 1], 2: [2]})
    beliefs = centroid_evidence(index, np.array([0.6, 0.8], dtype=np.float32))
    assert sorted(beliefs, key=beliefs.get, reverse=True) == [2, 1]
    assert sum(beliefs.values()) == pytest.approx(1.0)
    # 0.02 nearer is e² times the belief (temperature 0.01).
    assert beliefs[2] / beliefs[1] == pytest.approx(np.exp(2), rel=1e-3)


def test_without_vectors_the_centroid_classifier_has_no_opinion(settings):
    from experts.matching.disciplines import centroid_evidence

    settings.EXPERTS_MATCH_SEMANTIC = False
    index = _centroid_index([[1, 0]], {1: [0]})
    index.vectors = None
    assert centroid_evidence(index, None) == {}
    assert centroid_evidence(index, [1.0, 0.0]) == {}
