from kexie.platform.lib import text


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
