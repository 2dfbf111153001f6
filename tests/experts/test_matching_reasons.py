"""Recommendation reasons are kept as data and read in the reader's language."""

import importlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from experts.matching import reasons as why
from experts.matching import recommend_experts
from experts.matching.reasons import reason_text
from experts.models import NeedRecommendation
from tests.experts.factories import ExpertFactory

conversion = importlib.import_module("experts.migrations.0012_needrecommendation_reasons_as_data")


@pytest.fixture(autouse=True)
def _lexical_signals(settings):
    settings.EXPERTS_MATCH_SEMANTIC = False


def read(reasons, language):
    with translation.override(language):
        return [reason_text(reason) for reason in reasons]


EVERY_REASON = [
    (
        why.reason(why.SAME_FIELDS, names=["材料科学"]),
        "领域相同：材料科学",
        "Same field: Materials Science",
    ),
    (
        why.reason(why.RELATED_FIELDS, names=["机械工程"]),
        "领域相关：机械工程",
        "Related field: Mechanical Engineering",
    ),
    (why.reason(why.KEYWORDS, names=["缩痕"]), "关键词：缩痕", "Keywords: 缩痕"),
    (why.reason(why.PROFILE_WORDS, words=["缩痕"]), "简介相关：缩痕", "Profile matches: 缩痕"),
    (
        why.reason(why.BORROWED_WORDS, words=["绕组"]),
        "与最相符的专家同用：绕组",
        "Shared with the best-matching expert: 绕组",
    ),
    (why.reason(why.SIMILAR_CONTENT), "内容相近", "Similar content"),
    (why.reason(why.LOCAL_EXPERT), "本地专家", "Local expert"),
    (
        why.reason(why.DELTA_EXPERT, region="shanghai"),
        "长三角专家（上海）",
        "Yangtze River Delta expert (Shanghai)",
    ),
    (
        why.reason(why.RESPONSE_RATE, rate=50),
        "近一年响应率 50%",
        "Response rate over the past year: 50%",
    ),
    (
        why.reason(why.RATING, mean=4.5, count=2),
        "企业评价 4.5 分（2 次）",
        "Rated 4.5/5 by enterprises (2 ratings)",
    ),
    (
        why.reason(why.OPEN_ENGAGEMENTS, count=1),
        "正在对接 1 项需求",
        "Open engagements: 1",
    ),
    (why.reason(why.BUSY), "近期较忙", "Busy at present"),
]


@pytest.mark.parametrize(("reason", "chinese", "english"), EVERY_REASON)
def test_every_reason_reads_in_chinese_and_in_english(reason, chinese, english):
    assert read([reason], "zh-hans") == [chinese]
    assert read([reason], "en") == [english]


def test_names_of_a_list_are_joined_by_the_languages_separator():
    [text] = read([why.reason(why.KEYWORDS, names=["储能", "锂离子电池"])], "zh-hans")
    assert text == "关键词：储能、锂离子电池"


def test_the_ranking_stores_the_same_reasons_whatever_language_it_ran_under(
    storage_need, materials, battery
):
    ExpertFactory(fields=[materials], keywords=[battery])
    with translation.override("en"):
        in_english = recommend_experts(storage_need)[0].reasons
    with translation.override("zh-hans"):
        in_chinese = recommend_experts(storage_need)[0].reasons
    assert in_english == in_chinese
    assert read(in_english, "zh-hans")[:2] == ["领域相同：材料科学", "关键词：锂离子电池"]
    assert read(in_english, "en")[:2] == ["Same field: Materials Science", "Keywords: 锂离子电池"]


def test_a_reason_stored_as_text_before_reasons_were_data_is_shown_as_written():
    assert read(["领域相同：材料科学"], "en") == ["领域相同：材料科学"]


def test_an_unknown_or_incomplete_reason_never_breaks_the_page():
    assert read([{"code": "later_signal"}, {"code": why.RATING}], "en") == [
        "later_signal",
        "rating",
    ]


def test_staff_read_the_reasons_on_the_need_page_in_their_language(
    login, staff_user, expert, published_need
):
    client = login(staff_user)
    assert "关键词：锂离子电池" in client.get(published_need.get_absolute_url()).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(published_need.get_absolute_url()).content.decode()
    assert "Keywords: 锂离子电池" in page and "关键词：锂离子电池" not in page


def test_the_expert_reads_the_stored_reasons_on_the_dashboard_in_their_language(
    login, expert_user, expert, published_need
):
    client = login(expert_user)
    page = client.get(reverse("experts:expert_dashboard")).content.decode()
    assert "领域相同：材料科学" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("experts:expert_dashboard")).content.decode()
    assert "Same field: Materials Science" in page and "领域相同" not in page


def test_a_row_stored_as_text_still_shows_on_the_dashboard(
    login, expert_user, expert, published_need
):
    NeedRecommendation.objects.filter(need=published_need).update(reasons=["旧的推荐理由"])
    page = login(expert_user).get(reverse("experts:expert_dashboard")).content.decode()
    assert "旧的推荐理由" in page


def test_the_command_prints_the_reasons_in_the_active_language(storage_need, materials):
    ExpertFactory(fields=[materials])
    out = StringIO()
    with translation.override("en"):
        call_command("recommend_experts", str(storage_need.pk), "--limit", "1", stdout=out)
    assert out.getvalue().splitlines()[3].strip().startswith("Same field: Materials Science；")


STORED_ENGLISH = {
    "Open engagements: 1": "Currently engaged on 1 needs",
    # Stored English named disciplines in Chinese (they had no translation then).
    "Same field: Materials Science": "Same field: 材料科学",
    "Related field: Mechanical Engineering": "Related field: 机械工程",
}


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (text, reason)
        for reason, chinese, english in EVERY_REASON
        # The English as it was stored, before it was reworded or its names translated.
        for text in (chinese, STORED_ENGLISH.get(english, english))
    ]
    + [("关键词：储能、锂离子电池", why.reason(why.KEYWORDS, names=["储能", "锂离子电池"]))],
)
def test_the_migration_turns_stored_text_in_either_language_into_data(text, data):
    assert conversion._as_data(text) == data


def test_the_migration_keeps_text_of_no_known_form_and_writes_chinese_backwards():
    assert conversion._as_data("长三角专家（火星）") == "长三角专家（火星）"
    assert conversion._as_data("随便写的") == "随便写的"
    for reason, chinese, _english in EVERY_REASON:
        assert conversion._as_text(reason) == chinese


def test_the_snapshot_keeps_data_and_the_migration_leaves_it_alone(expert, published_need):
    [row] = NeedRecommendation.objects.filter(need=published_need)
    assert all(isinstance(reason, dict) for reason in row.reasons)
    before = row.reasons
    conversion.forwards(_Apps(), None)
    row.refresh_from_db()
    assert row.reasons == before
    NeedRecommendation.objects.filter(pk=row.pk).update(reasons=["领域相同：材料科学", "随便"])
    conversion.forwards(_Apps(), None)
    row.refresh_from_db()
    assert row.reasons == [why.reason(why.SAME_FIELDS, names=["材料科学"]), "随便"]


class _Apps:
    @staticmethod
    def get_model(app_label, name):
        assert (app_label, name) == ("experts", "NeedRecommendation")
        return NeedRecommendation
