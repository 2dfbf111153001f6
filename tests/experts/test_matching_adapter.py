"""The discipline classifier's linear adapter: learned from the vocabulary's everyday
words, fitted at index build from words encoded ahead, never inside a request, and
absent (the need's vector read as is) when off, unprepared or without the bridge."""

import numpy as np
import pytest
from django.core.management import call_command

from experts.matching import adapter, semantic
from experts.matching.disciplines import centroid_evidence
from experts.matching.engine import build_query
from experts.matching.index import _vocabulary, build_index
from tests.experts.factories import ExpertFactory, KeywordFactory, discipline

ELECTRICAL = "470"
FOOD = "550"


@pytest.fixture
def two_trades(db, monkeypatch):
    """Two disciplines' experts and a vocabulary whose everyday words no profile uses."""
    monkeypatch.setattr(adapter, "MIN_PAIRS", 3)
    for biography in ("研究低压配电系统设计与继电保护整定。", "从事供配电工程与电气安全。"):
        ExpertFactory(fields=[discipline(ELECTRICAL)], biography=biography)
    for biography in ("研究果蔬采后保鲜与食品防腐。", "从事食品加工工艺与货架期研究。"):
        ExpertFactory(fields=[discipline(FOOD)], biography=biography)
    KeywordFactory(
        name="低压配电",
        synonyms="总闸老跳、空开老是跳、一开机就跳闸、电闸跳",
        discipline=discipline(ELECTRICAL),
    )
    KeywordFactory(
        name="食品保鲜",
        synonyms="粽子变味、放两天就馊、东西放不住、发馊",
        discipline=discipline(FOOD),
    )


def test_without_the_words_prepared_there_is_no_adapter_and_nothing_is_encoded(
    two_trades, monkeypatch
):
    encoded = []
    original = semantic.encode
    monkeypatch.setattr(
        semantic, "encode", lambda texts, **kw: encoded.extend(texts) or original(texts, **kw)
    )
    index = build_index()
    assert index.adapter is None
    assert not any("总闸" in text for text in encoded)  # only the profiles were encoded
    vector = semantic.text_vector("总闸老跳")
    assert index.classifier_vector(vector) is vector


def test_prepared_words_give_an_adapter_at_index_build(two_trades, monkeypatch):
    assert adapter.prepare_term_vectors(_vocabulary()) == 8
    assert adapter.prepare_term_vectors(_vocabulary()) == 0  # kept in the cache

    def no_encoding(texts, **kw):
        raise AssertionError(f"encoded inside the build: {texts}")

    semantic.text_vector("总闸老跳")
    build_index()  # the profiles' vectors stored
    monkeypatch.setattr(semantic, "encode", no_encoding)
    index = build_index()
    assert index.adapter is not None
    assert index.adapter.pairs == 8


def test_the_adapter_moves_an_everyday_symptom_towards_its_trade(two_trades):
    adapter.prepare_term_vectors(_vocabulary())
    index = build_index()
    electrical = discipline(ELECTRICAL).pk
    vector = semantic.text_vector("总闸老跳")
    before = centroid_evidence(index, vector).get(electrical, 0.0)
    after = centroid_evidence(index, index.classifier_vector(vector)).get(electrical, 0.0)
    assert after > before


def test_the_adapter_keeps_each_encoders_part_at_its_length(two_trades):
    adapter.prepare_term_vectors(_vocabulary())
    index = build_index()
    vector = semantic.text_vector("粽子放了一天就变味")
    mapped = index.classifier_vector(vector)
    bounds = index.adapter.bounds
    for i, scale in enumerate(index.adapter.scales):
        part = mapped[bounds[i] : bounds[i + 1]]
        assert np.linalg.norm(part) == pytest.approx(scale**0.5, rel=1e-4)


def test_a_strong_regularisation_leaves_the_vector_as_it_was(two_trades, monkeypatch):
    monkeypatch.setattr(adapter, "REGULARISATION", 1e6)
    adapter.prepare_term_vectors(_vocabulary())
    index = build_index()
    vector = semantic.text_vector("粽子放了一天就变味")
    assert np.allclose(index.classifier_vector(vector), vector, atol=1e-4)


def test_only_the_disciplines_read_the_adapted_vector(two_trades):
    """The experts' similarities (the semantic part, its reason 「内容相近」) stay the
    encoders' own; the adapter informs the inferred disciplines only."""
    plain = build_index()
    adapter.prepare_term_vectors(_vocabulary())
    adapted = build_index()
    assert plain.adapter is None and adapted.adapter is not None
    text = "总闸老跳，车间经常停电"
    without = build_query(plain, text=text)
    with_adapter = build_query(adapted, text=text)
    assert np.array_equal(without.similarities, with_adapter.similarities)


def test_switched_off_there_is_no_adapter(two_trades, settings):
    settings.EXPERTS_MATCH_ADAPTER = False
    assert adapter.prepare_term_vectors(_vocabulary()) == 0
    assert build_index().adapter is None


def test_too_few_everyday_words_give_no_adapter(two_trades, monkeypatch):
    monkeypatch.setattr(adapter, "MIN_PAIRS", 50)
    adapter.prepare_term_vectors(_vocabulary())
    assert build_index().adapter is None


def test_without_the_bridge_there_is_no_adapter(two_trades, monkeypatch):
    semantic.forget()
    monkeypatch.setattr(semantic, "_load", lambda: None)
    try:
        assert adapter.prepare_term_vectors(_vocabulary()) == 0
        assert build_index().adapter is None
    finally:
        semantic.forget()


def test_the_words_key_names_the_models_and_the_words(db):
    assert adapter.term_vectors_key(["总闸老跳"]) == adapter.term_vectors_key(["总闸老跳"])
    assert adapter.term_vectors_key(["总闸老跳"]) != adapter.term_vectors_key(["总闸跳"])


def test_the_command_prepares_the_words_and_reports_the_adapter(two_trades, capsys):
    call_command("matching_adapter")
    out = capsys.readouterr().out
    assert "8 words encoded" in out
    assert "adapter fitted on 8 everyday words" in out
    call_command("matching_adapter")
    assert "already in the cache" in capsys.readouterr().out
