"""Staff close the loop at review: suggested keywords and disciplines, confirmed or
corrected in a click; the ranking uses what they confirmed; corrections teach the
shared vocabulary."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts.matching import reasons as why
from experts.matching import recommend_experts
from experts.matching.suggestions import suggest_terms
from experts.models import Keyword, TechNeed
from experts.services import vocabulary
from experts.services.needs import keywords_resolve
from tests.experts.factories import ExpertFactory, KeywordFactory, NeedFactory, discipline

S = TechNeed.Status


@pytest.fixture(autouse=True)
def _lexical_signals(settings):
    settings.EXPERTS_MATCH_SEMANTIC = False


@pytest.fixture
def sink_need(enterprise, advance, enterprise_user):
    """A moulding problem filed by the enterprise under computing (a wrong field)."""
    KeywordFactory(name="缩痕", synonyms="凹坑、缩印", discipline=discipline("460"))
    need = NeedFactory(
        enterprise=enterprise,
        title="注塑件表面有凹坑",
        summary="注塑件表面有凹坑，每批50件里有3件，壁厚3.5mm处最明显",
        fields=[discipline("520")],
        keywords=[],
    )
    return advance(need, S.SUBMITTED, owner=enterprise_user)


def test_suggestions_name_the_entry_and_never_junk(sink_need):
    review = suggest_terms(f"{sink_need.title} {sink_need.summary}。具体细节保密，可面谈")
    words = [k.word for k in review.keywords]
    assert words[0] == "缩痕"
    assert review.keywords[0].checked
    for junk in ("50", "3.5mm", "3", "mm", "件", "保密", "面谈"):
        assert junk not in words


@pytest.mark.parametrize(
    "word",
    [
        "50",
        "3.5mm",
        "12万元",
        "A",
        "kg",
        "万元",
        "10%",
        "2024年",
        "十余年",
        "余年",
        "三十多",
        "第一",
        "两次",
    ],
)
def test_junk_is_never_a_keyword(word):
    from kexie.platform.lib.text import is_junk_keyword

    assert is_junk_keyword(word)


@pytest.mark.parametrize(
    "word", ["5G", "PLC", "3D打印", "注塑", "COD", "余热", "数字化", "三维", "五轴"]
)
def test_technical_words_with_letters_or_digits_are_kept(word):
    from kexie.platform.lib.text import is_junk_keyword

    assert not is_junk_keyword(word)


def test_staff_see_the_review_card_and_the_disagreement(login, staff_user, sink_need):
    ExpertFactory(fields=[discipline("460")], biography="注塑件缩痕与模具冷却。")
    page = login(staff_user).get(sink_need.get_absolute_url()).content.decode()
    assert "领域和关键词" in page
    assert "需求文字与企业选择的领域不一致" in page
    assert 'value="缩痕"' in page


def test_the_enterprise_does_not_see_the_review_card(login, enterprise_user, sink_need):
    page = login(enterprise_user).get(sink_need.get_absolute_url()).content.decode()
    assert "领域和关键词" not in page


def test_confirming_in_a_click_sets_fields_and_keywords_and_the_ranking_trusts_them(
    login, staff_user, sink_need
):
    moulder = ExpertFactory(fields=[discipline("460")], biography="研究注射成型工艺。")
    coder = ExpertFactory(fields=[discipline("520")], biography="软件开发。")
    client = login(staff_user)
    response = client.post(
        reverse("experts:need_terms", args=[sink_need.pk]),
        {"fields": [discipline("460").pk], "keywords": ["缩痕"], "extra": ""},
    )
    assert response.status_code == 302
    sink_need.refresh_from_db()
    assert sink_need.terms_confirmed_by == staff_user
    assert [d.code for d in sink_need.fields.all()] == ["460"]
    assert [k.name for k in sink_need.keywords.all()] == ["缩痕"]
    ranking = recommend_experts(sink_need)
    assert ranking[0].expert == moulder
    assert ranking[0].reasons[0] == why.reason(why.SAME_FIELDS, names=["机械工程"])
    assert coder not in [rec.expert for rec in ranking]


def test_confirming_the_card_as_the_browser_sends_it_leaves_other_field_unchosen(
    login, staff_user, sink_need
):
    # The "other field" list left at "—" posts an empty value beside the ticked fields.
    fields = {"fields": [discipline("460").pk, ""], "keywords": ["缩痕"], "extra": ""}
    client = login(staff_user)
    response = client.post(reverse("experts:need_terms", args=[sink_need.pk]), fields, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "领域和关键词已确认，推荐专家已按确认结果更新。"
    ]
    sink_need.refresh_from_db()
    assert sink_need.terms_confirmed_by == staff_user
    assert [d.code for d in sink_need.fields.all()] == ["460"]


def test_nothing_ticked_and_other_field_left_at_dash_asks_for_a_field(login, staff_user, sink_need):
    response = login(staff_user).post(
        reverse("experts:need_terms", args=[sink_need.pk]), {"fields": [""]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["请至少选择一个领域。"]
    sink_need.refresh_from_db()
    assert sink_need.terms_confirmed_at is None


def test_confirming_needs_a_field_and_refuses_junk(staff_user, sink_need):
    with pytest.raises(ValidationError):
        vocabulary.need_terms_confirm(need=sink_need, by=staff_user, fields=[], keywords=[])
    with pytest.raises(ValidationError, match="3.5mm"):
        vocabulary.need_terms_confirm(
            need=sink_need, by=staff_user, fields=[discipline("460")], keywords=["3.5mm"]
        )
    sink_need.refresh_from_db()
    assert sink_need.terms_confirmed_at is None


def test_only_staff_confirm(login, enterprise_user, sink_need):
    with pytest.raises(ValidationError):
        vocabulary.need_terms_confirm(
            need=sink_need, by=enterprise_user, fields=[discipline("460")], keywords=[]
        )
    response = login(enterprise_user).post(
        reverse("experts:need_terms", args=[sink_need.pk]), {"fields": [discipline("460").pk]}
    )
    assert response.status_code in (403, 404)


def test_a_new_word_joins_the_vocabulary_approved_only_when_staff_say_so(staff_user, sink_need):
    vocabulary.need_terms_confirm(
        need=sink_need, by=staff_user, fields=[discipline("460")], keywords=["气辅成型"]
    )
    assert Keyword.objects.get(name="气辅成型").is_approved is False
    vocabulary.need_terms_confirm(
        need=sink_need,
        by=staff_user,
        fields=[discipline("460")],
        keywords=["模内热切"],
        add_to_vocabulary=True,
    )
    added = Keyword.objects.get(name="模内热切")
    assert added.is_approved and added.discipline.code == "460"


def test_a_plain_word_taught_as_synonym_expands_later_needs(enterprise, staff_user, sink_need):
    shrink = Keyword.objects.get(name="缩痕")
    pending = Keyword.objects.create(name="瘪坑", is_approved=False)
    tagged = NeedFactory(enterprise=enterprise, keywords=[pending])
    vocabulary.keyword_synonym_add(keyword=shrink, word="瘪坑", by=staff_user)
    shrink.refresh_from_db()
    assert "瘪坑" in shrink.synonym_list
    assert not Keyword.objects.filter(name="瘪坑").exists()
    assert list(tagged.keywords.all()) == [shrink]
    expert = ExpertFactory(fields=[discipline("460")], keywords=[shrink])
    need = NeedFactory(enterprise=enterprise, title="外壳有瘪坑", summary="外壳有瘪坑", fields=[])
    [rec] = recommend_experts(need)
    assert rec.expert == expert and why.reason(why.KEYWORDS, names=["缩痕"]) in rec.reasons


def test_a_word_that_is_another_entry_is_not_taught_as_a_synonym(staff_user):
    shrink = KeywordFactory(name="缩痕")
    KeywordFactory(name="翘曲")
    with pytest.raises(ValidationError, match="另一个关键词"):
        vocabulary.keyword_synonym_add(keyword=shrink, word="翘曲", by=staff_user)


def test_an_experts_broad_keyword_is_not_filed_under_an_entry_of_another_meaning(db):
    food = KeywordFactory(name="食品包装", synonyms="包装、气调包装", discipline=discipline("550"))
    [packaging] = keywords_resolve(words=["包装"])
    assert packaging != food and packaging.name == "包装"
    assert packaging.is_approved is False
    # A telling synonym of one entry is filed under it.
    assert keywords_resolve(words=["气调包装"]) == [food]
    # A name always wins.
    assert keywords_resolve(words=["食品包装"]) == [food]
