"""Vocabulary entries meant but not written: a clause of the need near one of an
entry's terms in meaning votes for the entry's discipline, as a weaker vocabulary
hit, and is never shown or counted as a keyword the need holds."""

import pytest

from experts.matching import recommend_experts, semantic
from experts.matching.engine import build_query, need_clauses
from experts.matching.index import build_index
from tests.experts.factories import ExpertFactory, KeywordFactory, NeedFactory, discipline


@pytest.fixture
def power_and_food(db):
    entry = KeywordFactory(
        name="低压配电",
        synonyms="老跳闸、闸老跳、配电柜",
        discipline=discipline("470"),
        is_approved=True,
    )
    electrician = ExpertFactory(
        name="配电", fields=[discipline("470")], biography="研究工厂供配电系统与电能质量。"
    )
    baker = ExpertFactory(
        name="烘焙", fields=[discipline("550")], biography="研究糕点烘焙工艺与面团发酵。"
    )
    return entry, electrician, baker


def test_a_need_is_read_clause_by_clause():
    assert need_clauses("厂里总闸老是跳，生产经常被打断。谢谢！") == [
        "厂里总闸老是跳",
        "生产经常被打断",
        "谢谢",
    ]


def test_a_paraphrase_of_a_term_points_to_its_entrys_field(power_and_food):
    entry, _electrician, _baker = power_and_food
    index = build_index()
    query = build_query(index, text="厂里总闸老是跳")  # neither 老跳闸 nor 闸老跳 is written
    assert entry.pk in query.meant
    assert entry.pk not in query.keyword_ids
    assert entry.pk not in query.entries
    assert max(query.beliefs, key=query.beliefs.get) == discipline("470").pk


def test_a_meant_entry_is_shown_as_a_related_field_never_as_a_keyword(enterprise, power_and_food):
    _entry, electrician, _baker = power_and_food
    need = NeedFactory(enterprise=enterprise, title="厂里总闸老是跳", summary="", fields=[])
    [first, *_rest] = recommend_experts(need)
    assert first.expert == electrician
    assert first.signals["keyword"] == 0
    assert not any(reason.startswith("关键词") for reason in first.reasons)


def test_an_entry_written_in_the_need_is_not_also_meant(power_and_food):
    entry, _electrician, _baker = power_and_food
    query = build_query(build_index(), text="车间配电柜老跳闸")
    assert entry.pk in query.keyword_ids
    assert entry.pk not in query.meant


def test_without_the_bridge_nothing_is_meant(settings, power_and_food):
    settings.EXPERTS_MATCH_SEMANTIC = False
    semantic.forget()
    try:
        assert build_query(build_index(), text="厂里总闸老是跳").meant == {}
    finally:
        semantic.forget()


def test_the_vocabulary_is_encoded_once_not_on_every_index_build(monkeypatch, power_and_food):
    build_index().term_matrix()

    def no_encoding(*args, **kwargs):
        raise AssertionError(f"encoded again: {args}")

    monkeypatch.setattr(semantic, "encode", no_encoding)
    _owners, _specificity, matrix = build_index().term_matrix()
    assert matrix is not None and len(matrix) == 4  # the name and three synonyms
    KeywordFactory(
        name="食品保鲜", synonyms="放不住", discipline=discipline("550"), is_approved=True
    )
    with pytest.raises(AssertionError, match="放不住"):
        build_index().term_matrix()
