"""The matching commands: one need's ranking, and the evaluation on a labelled set."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from experts.models import Discipline, Expert, Keyword, RecommendationEvent, TechNeed
from tests.experts.factories import ExpertFactory, NeedFactory

S = TechNeed.Status


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_recommend_experts_prints_the_ranking_with_each_signal(enterprise, materials, battery):
    need = NeedFactory(enterprise=enterprise, title="储能柜热管理", fields=[materials])
    ExpertFactory(name="甲", fields=[materials], keywords=[battery])
    ExpertFactory(name="乙", fields=[materials])
    lines = run("recommend_experts", str(need.pk), "--limit", "1").splitlines()
    assert lines[0] == f"#{need.pk} 储能柜热管理 [草稿]"
    assert lines[1].split()[:3] == ["rank", "expert", "(id)"]
    assert lines[1].split()[4:] == [
        "text",
        "semantic",
        "field",
        "keyword",
        "region",
        "rating",
        "response",
        "workload",
    ]
    assert lines[2].split()[:2] == ["1", "甲"]
    assert lines[3].strip() == "领域相同：材料科学；简介相关：电池；长三角专家（浙江）"
    assert len(lines) == 4


def test_recommend_experts_says_when_nobody_fits(enterprise):
    need = NeedFactory(enterprise=enterprise, fields=[])
    assert run("recommend_experts", str(need.pk)).splitlines()[-1] == "no expert recommended"


def test_recommend_experts_refuses_an_unknown_need(db):
    with pytest.raises(CommandError, match="no need with id 999999"):
        run("recommend_experts", "999999")


@pytest.fixture
def labelled(db, tmp_path):
    data = {
        "experts": [
            {
                "key": "seer",
                "name": "视觉专家",
                "organisation": "浙江大学",
                "region": "zhejiang",
                "fields": ["520"],
                "keywords": ["机器视觉"],
                "biography": "研究工业视觉检测。",
            },
            {
                "key": "moulder",
                "name": "注塑专家",
                "organisation": "宁波模具行业协会",
                "region": "local",
                "fields": ["460"],
                "keywords": [],
                "biography": "解决注塑件缩痕和翘曲。",
            },
            {
                "key": "farmer",
                "name": "农技专家",
                "organisation": "平湖市农业技术推广中心",
                "region": "local",
                "fields": ["210"],
                "keywords": [],
                "biography": "指导大棚西瓜种植。",
            },
        ],
        "needs": [
            {"text": "想让电脑自动挑次品", "fields": [], "relevant": ["seer"]},
            {"text": "注塑件老是有缩痕", "fields": [], "relevant": ["moulder", "seer"]},
        ],
    }
    vocabulary = {
        "vocabulary": [{"name": "机器视觉", "synonyms": ["机器看", "挑次品"], "discipline": "520"}]
    }
    (tmp_path / "set.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False))
    return ["--data", str(tmp_path / "set.json"), "--vocabulary", str(tmp_path / "vocabulary.json")]


def test_evaluate_matching_reports_precision_and_ndcg_on_a_labelled_set(labelled):
    lines = run("evaluate_matching", *labelled, "--offline-only").splitlines()
    # Need 1: the one relevant expert first (1/5, nDCG 1). Need 2: the moulder only (1/5,
    # nDCG (1) / (1 + 1/log2 3) = 0.613).
    assert lines == [
        "labelled needs: 2, experts in the pool: 3",
        "precision@5: 0.200 (ceiling 0.300: relevant experts per need; 66.7% of the ceiling)",
        "nDCG@10: 0.807",
        "busy experts: 0.0% of the top-5 slots, 0.0% of the pool",
    ]


@pytest.fixture
def graded(labelled, tmp_path):
    """The blind set's shape: graded relevance and two flags per need."""
    data = json.loads((tmp_path / "set.json").read_text(encoding="utf-8"))
    data["experts"][2]["availability"] = "busy"
    data["needs"] = [
        {
            "text": "想让电脑自动挑次品",
            "fields": ["460"],
            "relevance": {"seer": 2},
            "has_technical_words": False,
            "field_is_wrong": True,
        },
        {
            "text": "注塑件老是有缩痕",
            "fields": [],
            "relevance": {"moulder": 2, "seer": 1},
            "has_technical_words": True,
            "field_is_wrong": False,
        },
    ]
    (tmp_path / "graded.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return ["--data", str(tmp_path / "graded.json"), *labelled[2:]]


def test_graded_relevance_is_split_by_technical_words_and_wrong_field(graded):
    from experts.matching.evaluation import evaluate, load_json

    lines = run("evaluate_matching", *graded, "--offline-only").splitlines()
    assert lines[3] == "busy experts: 0.0% of the top-5 slots, 33.3% of the pool"
    assert lines[4].split() == [
        "split",
        "needs",
        "precision@5",
        "ceiling",
        "p@5/ceiling",
        "nDCG@10",
    ]
    rows = {line[:28].strip(): line[28:].split() for line in lines[5:]}
    assert list(rows) == [
        "all",
        "with technical words",
        "without technical words",
        "wrong chosen field",
        "right or no chosen field",
    ]
    assert rows["all"][0] == "2"
    assert rows["all"][2] == "0.300"  # one relevant expert, then two: (1/5 + 2/5) / 2
    assert rows["without technical words"] == rows["wrong chosen field"]
    assert rows["with technical words"] == rows["right or no chosen field"]
    result = evaluate(load_json(graded[1]), load_json(graded[3])["vocabulary"])
    # The moulder (grade 2) first counts in full; grade 1 counts for precision alike.
    moulding = result.needs[1]
    assert moulding.grades == {"moulder": 2, "seer": 1}
    assert moulding.ranked[0] == "moulder"


def test_analysis_tells_where_the_relevant_experts_rank_and_what_put_others_ahead(graded):
    lines = run("evaluate_matching", *graded, "--offline-only", "--analyse", "20", "--misses")
    lines = lines.splitlines()
    start = lines.index("first relevant expert at rank (of 2 needs):")
    assert lines[start + 1].startswith("  1-5: ")
    buckets = [part.split(": ") for part in lines[start + 1].strip().split(", ")]
    assert sum(int(count) for _label, count in buckets) == 2  # every need in one bucket
    assert lines[start + 2].startswith("needs below their ceiling: ")
    assert "field on needs whose chosen field is wrong: " in lines[start + 4]


def test_a_held_out_set_gives_its_figures_but_not_its_misses(graded, tmp_path):
    data = json.loads((tmp_path / "graded.json").read_text(encoding="utf-8"))
    data["held_out"] = True
    (tmp_path / "held.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    held = ["--data", str(tmp_path / "held.json"), *graded[2:]]
    figures = run("evaluate_matching", *held, "--offline-only")
    assert figures == run("evaluate_matching", *graded, "--offline-only")
    for option in (["--misses"], ["--analyse", "20"]):
        with pytest.raises(CommandError, match="this set is held out"):
            run("evaluate_matching", *held, "--offline-only", *option)
    assert "first relevant expert" in run(
        "evaluate_matching", *held, "--offline-only", "--analyse", "20", "--allow-held-out"
    )


def test_graded_ndcg_weighs_a_very_relevant_expert_more():
    from experts.matching.evaluation import ndcg_at, precision_at

    grades = {"a": 2, "b": 1}
    assert ndcg_at(["a", "b"], grades, 10) == 1.0
    assert ndcg_at(["b", "a"], grades, 10) < ndcg_at(["a", "x", "b"], grades, 10) < 1.0
    assert precision_at(["b", "x", "a", "y", "z"], grades, 5) == 0.4


def test_evaluation_leaves_no_trace_in_the_database(labelled):
    run("evaluate_matching", *labelled, "--offline-only")
    assert not Expert.objects.exists()
    assert not Keyword.objects.filter(name="机器视觉").exists()


def test_without_synonyms_the_plain_words_miss(labelled, settings):
    settings.EXPERTS_MATCH_SEMANTIC = False
    out = run("evaluate_matching", *labelled, "--offline-only", "--without-synonyms", "--misses")
    assert "precision@5: 0.100" in out
    assert "  0.0  想让电脑自动挑次品  → \n" in out


def test_without_synonyms_meaning_still_points_the_plain_words_to_a_field(labelled):
    # Meaning (the nearest profiles, the disciplines' centroids) still finds the
    # computing expert, though no word of the need is in the profile.
    out = run("evaluate_matching", *labelled, "--offline-only", "--without-synonyms", "--misses")
    assert "precision@5: 0.200" in out
    assert "  0.2  想让电脑自动挑次品  → seer\n" in out


def test_evaluate_matching_tries_other_weights_and_refuses_unknown_ones(labelled):
    out = run("evaluate_matching", *labelled, "--offline-only", "--weights", '{"region": 5}')
    assert "precision@5: 0.200" in out
    with pytest.raises(CommandError, match="unknown signals: speed"):
        run("evaluate_matching", *labelled, "--weights", '{"speed": 1}')
    with pytest.raises(CommandError, match="--weights must be JSON"):
        run("evaluate_matching", *labelled, "--weights", "{")


def test_evaluate_matching_reports_the_online_figures(
    labelled, draft_need, advance, enterprise_user, expert
):
    advance(draft_need, S.ACCEPTED, owner=enterprise_user, expert=expert)
    out = run("evaluate_matching", *labelled).splitlines()
    assert out[4:] == [
        "online (events recorded now: 4):",
        "  invitation acceptance rate: 100.0% of 1 invitations",
        "  time to first response (median): 0.0 h over 1 needs",
        "  needs with an accepted expert within 7 days: 100.0% of 1",
        "  top-5 slots taken by busy experts: 0.0% of 1",
    ]
    kinds = set(RecommendationEvent.objects.values_list("kind", flat=True))
    assert kinds == {"recommended", "invited", "responded", "accepted"}
    # Recording again adds nothing.
    assert "online (events recorded now: 0):" in run("evaluate_matching", *labelled)


def test_the_project_labelled_set_is_large_enough_and_consistent(db):
    from experts.matching.evaluation import EVAL_PATH, VOCABULARY_PATH, load_json

    data = load_json(EVAL_PATH)
    keys = {row["key"] for row in data["experts"]}
    vocabulary = {row["name"] for row in load_json(VOCABULARY_PATH)["vocabulary"]}
    assert len(data["needs"]) >= 100
    assert all(set(need["relevant"]) <= keys and need["relevant"] for need in data["needs"])
    assert all(set(row["keywords"]) <= vocabulary for row in data["experts"])
    codes = set(Discipline.objects.values_list("code", flat=True))
    assert {code for row in data["experts"] for code in row["fields"]} <= codes
