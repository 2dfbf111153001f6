"""The keywords the portal suggests from a need's text are where the message
after saving says they are: on the need's page, for its enterprise, until it
chooses its own."""

from django.urls import reverse

from experts.models import TechNeed
from tests.experts.factories import ExpertFactory, KeywordFactory, NeedFactory, discipline


def _save_need(client, **overrides):
    data = {
        "title": "注塑件缩水",
        "summary": "注塑件表面有缩水，想请专家看看模具和注塑工艺。",
        "details": "",
        "kind": TechNeed.Kind.RESEARCH,
        "fields": [discipline("460").pk],
        "keywords": "",
        **overrides,
    }
    return client.post(reverse("experts:need_create"), data, follow=True)


def test_after_saving_the_enterprise_sees_the_suggested_keywords_and_where_to_adopt_them(
    enterprise, login, enterprise_user
):
    page = _save_need(login(enterprise_user)).content.decode()

    need = TechNeed.objects.get()
    assert need.suggested_keywords
    assert "请核对系统建议的关键词" in page
    suggested = page.split('id="suggested-keywords"')[1].split("</div>")[0]
    assert all(word in suggested for word in need.suggested_keywords)
    assert reverse("experts:need_edit", args=[need.pk]) in suggested


def test_chosen_keywords_replace_the_suggestions(enterprise, login, enterprise_user):
    page = _save_need(login(enterprise_user), keywords="注塑，模具").content.decode()

    assert 'id="suggested-keywords"' not in page


def test_others_never_see_the_suggestions(enterprise, login, enterprise_user, staff_user):
    _save_need(login(enterprise_user))
    need = TechNeed.objects.get()

    page = login(staff_user).get(need.get_absolute_url()).content.decode()

    assert 'id="suggested-keywords"' not in page


def test_words_about_the_request_itself_are_never_suggested(db):
    from experts.services.needs import keyword_suggestions

    words = keyword_suggestions(
        "注塑件表面缩痕\n产品壁厚不均，冷却后出现缩痕。\n具体细节保密，可面谈，工艺参数详见附件。"
    )
    assert "缩痕" in words
    for word in ("保密", "细节", "面谈", "附件", "详见", "具体"):
        assert word not in words


def test_a_need_in_english_gets_no_keyword_from_inside_its_words_nor_function_words(db):
    from experts.services.needs import keyword_suggestions

    KeywordFactory(name="废气治理", synonyms="RTO", is_approved=True)

    words = keyword_suggestions(
        "Corrugated cartons crack after cold storage. Our cartons crack at the folds "
        "after a week in cold storage."
    )

    assert "废气治理" not in words  # "RTO" is inside "cartons", not a word of the text
    assert "cartons" in words
    for word in ("the", "at", "after", "in", "our"):
        assert word not in words
    assert keyword_suggestions("RTO焚烧炉效率偏低")[0] == "废气治理"


def test_a_need_in_english_is_not_matched_through_a_term_inside_its_words(enterprise, settings):
    from experts.matching import recommend_experts

    settings.EXPERTS_MATCH_SEMANTIC = False  # the words alone

    rto = KeywordFactory(name="废气治理", synonyms="RTO", is_approved=True)
    ExpertFactory(fields=[discipline("610")], keywords=[rto])
    need = NeedFactory(
        enterprise=enterprise,
        title="Cartons crack in cold storage",
        summary="Our corrugated cartons crack at the folds.",
        fields=[],
    )

    assert recommend_experts(need) == []
