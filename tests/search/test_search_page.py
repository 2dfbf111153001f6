import pytest

from kexie.search import selectors

pytestmark = pytest.mark.django_db


def _titles(query, **kwargs):
    found = selectors.search(query=query, **kwargs)
    return {hit.document.title for group in found.groups for hit in group.hits}


def test_a_word_finds_the_longer_words_that_contain_it(corpus):
    assert "中国航天科普馆" in _titles("航天")
    assert "储能电池循环寿命提升" in _titles("电池")
    assert "平湖市机械工程学会" in _titles("数字化")


def test_one_character_and_mixed_queries_work(corpus):
    assert "中国航天科普馆" in _titles("馆")
    assert _titles("5G") == {"5G与智慧生活科普讲座"}
    assert _titles("3D打印") == {"3D打印周末课堂"}


def test_every_word_must_match_before_any_word_is_enough(corpus):
    # No record is about both; each word alone finds its own (events name their venue).
    assert _titles("航天 电池") == {
        "中国航天科普馆",
        "5G与智慧生活科普讲座",
        "3D打印周末课堂",
        "李储能",
        "储能电池循环寿命提升",
        "一种电池热管理方法",
    }
    assert selectors.search(query="航天 电池").relaxed
    assert not selectors.search(query="储能 电池").relaxed


def test_synonyms_find_each_other(corpus):
    assert "乍浦镇科协" in _titles("科普活动")  # its text says 科学普及活动
