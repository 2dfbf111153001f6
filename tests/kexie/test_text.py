import pytest

from kexie.platform.lib import text
from kexie.platform.lib import text as text_lib


def test_tokens_split_chinese_into_words_without_punctuation():
    assert text.tokens("电费峰谷价差大，想在低谷充电") == [
        "电费",
        "峰谷",
        "价差",
        "大",
        "想",
        "在",
        "低谷",
        "充电",
    ]


def test_search_tokens_include_the_sub_words_for_indexing():
    words = text.search_tokens("中国航天科普馆")
    assert {"航天", "科普", "科普馆"} <= set(words)


def test_mixed_latin_and_digits_stay_whole_and_full_width_is_folded():
    assert "5g" in text.tokens("５Ｇ基站")
    assert "3d" in text.tokens("3D打印")


def test_domain_words_are_kept_whole():
    assert "科普e站" in text.tokens("每个镇都有科普e站")


def test_keywords_prefer_rare_meaningful_words_over_common_ones():
    found = text.keywords("我们公司电费峰谷价差大，想在低谷充电，用磷酸铁锂电池储能", limit=5)
    assert "储能" in found and "磷酸铁锂" in found
    assert not {"我们", "公司", "想"} & set(found)


def test_keywords_of_empty_text_are_empty():
    assert text.keywords("") == []


@pytest.mark.parametrize(
    ("text", "term", "found"),
    [
        ("reduce cracking in corrugated cartons", "rto", False),
        ("vibration isolation of the pump", "iso", False),
        ("temperature-controlled storage", "led", False),
        ("rto焚烧炉效率偏低", "rto", True),
        ("通过iso9001认证", "iso9001", True),
        ("通过iso9001认证", "iso", False),
        ("车间换led灯", "led", True),
        ("an rto, not a boiler", "rto", True),
        ("注塑件缩水", "注塑", True),
    ],
)
def test_a_latin_term_is_found_as_a_word_not_inside_a_longer_one(text, term, found):
    assert text_lib.contains_term(text, term) is found


def test_english_function_words_are_not_content_words():
    words = text.content_words("Our cartons crack at the folds after a week in cold storage")
    assert "cartons" in words
    for word in ("our", "at", "the", "after", "in"):
        assert word not in words
    # Words that look like English ones but name things of their own stay.
    assert {"it", "can"} <= set(text.content_words("IT运维 CAN总线"))
