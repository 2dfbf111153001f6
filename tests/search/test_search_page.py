import pytest
from django.urls import reverse

from kexie.portal.search import selectors, services
from tests.outreach.factories import EventFactory

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


def test_synonyms_are_data_staff_can_remove(corpus):
    from experts.models import Keyword

    Keyword.objects.filter(name="科普").delete()
    assert "乍浦镇科协" not in _titles("科普活动")


def test_a_synonym_taught_for_the_matching_also_serves_the_search(corpus):
    from experts.models import Keyword

    Keyword.objects.create(name="电芯", synonyms="电池", is_approved=False)
    assert "一种电池热管理方法" not in _titles("电芯")  # waiting for approval
    Keyword.objects.filter(name="电芯").update(is_approved=True)
    assert "一种电池热管理方法" in _titles("电芯")


def test_page_groups_results_by_kind_and_marks_the_matched_words(client, corpus):
    response = client.get(reverse("search:results"), {"q": "电池"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "技术需求" in html and "科技成果" in html
    assert "储能<mark>电池</mark>循环寿命提升" in html


def test_titles_are_escaped_around_the_marks(client, corpus):
    EventFactory(title="<script>alert(1)</script>电池讲座")
    services.index_rebuild(kinds=["event"])
    html = client.get(reverse("search:results"), {"q": "电池"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>电池</mark>讲座" in html
    assert "<script>alert" not in html


def test_kind_filter_shows_one_kind_with_pages(client, corpus):
    for n in range(25):
        EventFactory(title=f"电池安全讲座{n}")
    services.index_rebuild(kinds=["event"])
    first = client.get(reverse("search:results"), {"q": "电池", "kind": "event"})
    second = client.get(reverse("search:results"), {"q": "电池", "kind": "event", "page": 2})
    assert first.context["results"].page.paginator.count == 25
    assert len(first.context["results"].page.object_list) == 20
    assert len(second.context["results"].page.object_list) == 5
    assert "第 1 / 2 页" in first.content.decode()
    assert all(h.document.kind == "event" for h in second.context["results"].page.object_list)


def test_overview_shows_five_per_kind_and_links_to_the_rest(client, corpus):
    for n in range(7):
        EventFactory(title=f"电池安全讲座{n}")
    services.index_rebuild(kinds=["event"])
    response = client.get(reverse("search:results"), {"q": "电池"})
    events = next(g for g in response.context["results"].groups if g.kind == "event")
    assert events.count == 7 and len(events.hits) == 5
    assert "查看全部 7 条科普活动" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "，。！"},
        {"q": "电\x00池"},
        {"q": "\x00"},
        {"q": "电池", "kind": "nonsense"},
        {"q": "电池", "kind": "event", "page": "abc"},
        {"q": "电池", "kind": "event", "page": "99999"},
        {"q": "' OR 1=1 --"},
        {"q": "a & b | !c <-> d:*"},
        {"q": "%_\\"},
    ],
)
def test_odd_queries_never_fail(client, corpus, params):
    assert client.get(reverse("search:results"), params).status_code == 200


def test_a_nul_byte_is_a_space(corpus):
    assert "储能电池循环寿命提升" in _titles("储能\x00电池")


def test_too_long_query_is_refused_with_a_message(client, corpus):
    response = client.get(reverse("search:results"), {"q": "电池" * 26})
    assert "搜索词太长，请不要超过 50 个字。" in response.content.decode()


def test_nothing_found_says_so(client, corpus):
    response = client.get(reverse("search:results"), {"q": "量子纠缠"})
    assert "没有找到与“量子纠缠”相关的内容。" in response.content.decode()


def test_very_common_words_rank_only_the_newest_matches_and_say_so(client, corpus, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    response = client.get(reverse("search:results"), {"q": "电池"})
    results = response.context["results"]
    html = response.content.decode()
    assert results.capped and results.total_label == "2+"
    assert "全部（2+）" in html
    assert "匹配的结果很多，以下只在最新的 2 条中按相关度排列。" in html
    assert sum(len(g.hits) for g in results.groups) == 2


def test_the_english_page_counts_each_kind_in_the_plural(client, corpus):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("search:results"), {"q": "电池"}).content.decode()
    assert "Experts (1)" in body
    assert "Technical needs (1)" in body
    assert "（" not in body


def test_nothing_found_for_english_words_suggests_a_chinese_word(client, corpus):
    # The portal's records are written in Chinese (engineer public13's walk).
    body = client.get(reverse("search:results"), {"q": "robot"}).content.decode()
    assert "没有找到" in body
    assert "本站的活动、新闻和介绍大多用中文书写" in body


def test_nothing_found_for_chinese_words_does_not_suggest_chinese(client, corpus):
    body = client.get(reverse("search:results"), {"q": "不存在的词语"}).content.decode()
    assert "没有找到" in body
    assert "大多用中文书写" not in body
