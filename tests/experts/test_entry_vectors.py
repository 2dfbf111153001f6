"""The vocabulary's meaning vectors (what a need is compared with for the review's
suggestions) are encoded once and kept: a rebuilt index, a new process or a page
never encodes the whole vocabulary while someone waits."""

import pytest

from experts.matching import index as matching_index
from experts.matching import semantic
from experts.matching.index import build_index, entry_vectors_prepare, forget_index
from experts.models.matching import KeywordVector
from tests.experts.factories import KeywordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_process():
    forget_index()
    yield
    forget_index()


@pytest.fixture
def vocabulary():
    return [
        KeywordFactory(name="注塑成型", synonyms="注射成型"),
        KeywordFactory(name="果蔬保鲜", synonyms="保鲜、防腐"),
        KeywordFactory(name="水质调控", synonyms="蓝藻、溶氧"),
    ]


@pytest.fixture
def tasks_in_the_request():
    """Set whether tasks run in the request (eager) or go to a worker, and put it back."""
    from celery import current_app

    before = current_app.conf.task_always_eager

    def setting(eager: bool):
        current_app.conf.task_always_eager = eager

    yield setting
    current_app.conf.task_always_eager = before


@pytest.fixture
def encoded(monkeypatch):
    """The texts each call of the encoder was given."""
    calls = []
    real = semantic.encode

    def counting(texts, **kwargs):
        calls.append(list(texts))
        return real(texts, **kwargs)

    monkeypatch.setattr(semantic, "encode", counting)
    return calls


def test_vectors_are_stored_and_a_new_process_reads_them(vocabulary, monkeypatch):
    assert entry_vectors_prepare() == 3
    assert KeywordVector.objects.count() == 3

    forget_index()  # as a new worker starts

    def no_encoding(texts, **kwargs):
        raise AssertionError(f"encoded again: {texts}")

    monkeypatch.setattr(semantic, "encode", no_encoding)
    entries, vectors = build_index().entry_vectors()
    assert [entry.name for entry in entries] == ["注塑成型", "果蔬保鲜", "水质调控"]
    assert vectors.shape == (3, semantic.dimensions())


def test_a_rebuilt_index_takes_the_vectors_from_memory(
    vocabulary, encoded, django_assert_num_queries
):
    build_index().entry_vectors()
    assert len(encoded) == 1

    rebuilt = build_index()
    with django_assert_num_queries(0):
        entries, _vectors = rebuilt.entry_vectors()
    assert len(entries) == 3
    assert len(encoded) == 1


def test_an_edited_entry_alone_is_encoded_again(vocabulary, encoded):
    build_index().entry_vectors()
    keeper = vocabulary[1]
    keeper.synonyms = "保鲜、冷链"
    keeper.save()

    build_index().entry_vectors()
    assert encoded[-1] == ["果蔬保鲜、果蔬保鲜、保鲜、冷链"]
    assert KeywordVector.objects.get(keyword=keeper).digest == semantic.digest(encoded[-1][0])


def test_a_page_encodes_its_share_and_a_worker_the_rest(
    vocabulary, encoded, monkeypatch, tasks_in_the_request, django_capture_on_commit_callbacks
):
    from experts import tasks

    monkeypatch.setattr(matching_index, "ENTRY_ENCODE_IN_REQUEST", 2)
    tasks_in_the_request(False)
    asked = []
    monkeypatch.setattr(tasks.entry_vectors_prepare, "delay", lambda: asked.append(True))

    with django_capture_on_commit_callbacks(execute=True):
        entries, vectors = build_index().entry_vectors()

    assert [entry.name for entry in entries] == ["注塑成型", "果蔬保鲜"]
    assert vectors.shape[0] == 2
    assert encoded == [["注塑成型、注塑成型、注射成型", "果蔬保鲜、果蔬保鲜、保鲜、防腐"]]
    assert asked == [True]

    # The worker's run encodes the rest; the next index has every entry.
    assert tasks.entry_vectors_prepare() == 3
    assert encoded[-1] == ["水质调控、水质调控、蓝藻、溶氧"]
    assert len(build_index().entry_vectors()[0]) == 3


def test_with_tasks_in_the_request_each_page_encodes_its_share(
    vocabulary, encoded, monkeypatch, tasks_in_the_request
):
    monkeypatch.setattr(matching_index, "ENTRY_ENCODE_IN_REQUEST", 2)
    tasks_in_the_request(True)

    assert len(build_index().entry_vectors()[0]) == 2
    assert len(build_index().entry_vectors()[0]) == 3
    assert [len(texts) for texts in encoded] == [2, 1]


def test_without_the_bridge_there_are_no_vectors(vocabulary, settings):
    settings.EXPERTS_MATCH_SEMANTIC = False
    semantic.forget()
    try:
        entries, vectors = build_index().entry_vectors()
    finally:
        semantic.forget()
    assert len(entries) == 3
    assert vectors is None
    assert not KeywordVector.objects.exists()
