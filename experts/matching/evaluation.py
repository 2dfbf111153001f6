"""Offline evaluation: precision@5 and nDCG@10 on a labelled set.

The evaluation pool and the vocabulary of ``experts/data`` are written into the
database inside a transaction that is always rolled back, and the needs are
ranked through the same index and scoring code as the live pages; only the
index is restricted to the pool, so the live experts do not blur the figures.
Experts are saved through ``expert_save``, so their keywords enter the
vocabulary as real profiles' keywords do.

Two shapes of labelled need are read: ``relevant`` (a list of expert keys,
each of grade 1) and ``relevance`` (expert key → grade 1 or 2). Optional flags
per need, ``has_technical_words`` and ``field_is_wrong``, split the figures.
precision@5 counts any grade ≥ 1; nDCG@10 uses the grades (gain 2^grade − 1).
"""

import json
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from experts.matching.engine import build_query, rank
from experts.matching.index import build_index, recommendable_experts
from experts.models import Discipline, Expert, Keyword

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EVAL_PATH = DATA_DIR / "matching_eval.json"
BLIND_EVAL_PATH = DATA_DIR / "matching_eval_blind.json"
VOCABULARY_PATH = DATA_DIR / "matching_vocabulary.json"
FLAGS = ("has_technical_words", "field_is_wrong")


def load_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def vocabulary_install(entries: list[dict], *, with_synonyms: bool = True) -> list[Keyword]:
    """Add the entries to the vocabulary, merging synonyms into existing keywords."""
    codes = {d.code: d for d in Discipline.objects.all()}
    keywords = []
    for entry in entries:
        keyword, _created = Keyword.objects.get_or_create(
            name=entry["name"], defaults={"discipline": codes.get(entry.get("discipline"))}
        )
        if with_synonyms:
            merged = list(dict.fromkeys([*keyword.synonym_list, *entry.get("synonyms", [])]))
            if merged != keyword.synonym_list:
                keyword.synonyms = "、".join(merged)
                keyword.save(update_fields=["synonyms"])
        keywords.append(keyword)
    return keywords


def grades_of(need: dict) -> dict[str, int]:
    """Expert key → grade (1 relevant, 2 very relevant) of a labelled need, either shape."""
    if "relevance" in need:
        return {key: int(grade) for key, grade in need["relevance"].items() if int(grade) > 0}
    return dict.fromkeys(need.get("relevant", []), 1)


def precision_at(ranked: list[str], grades: dict[str, int], k: int) -> float:
    return sum(1 for key in ranked[:k] if grades.get(key, 0) >= 1) / k


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int) -> float:
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k]))
    best = sorted(grades.values(), reverse=True)[:k]
    ideal = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(best))
    return dcg / ideal if ideal else 0.0


@dataclass
class NeedResult:
    text: str
    ranked: list[str]
    grades: dict[str, int]
    precision_at_5: float
    ndcg_at_10: float
    flags: dict[str, bool] = field(default_factory=dict)
    busy_in_top_5: int = 0
    key: str = ""
    # (key, Recommendation) of the deeper ranking, for the analysis only.
    deep: list = field(default_factory=list)
    query: object = None

    @property
    def ceiling(self) -> float:
        return min(len(self.grades), 5) / 5

    @property
    def relevant(self) -> set[str]:
        return set(self.grades)


@dataclass
class Evaluation:
    needs: list[NeedResult] = field(default_factory=list)
    pool_size: int = 0
    busy_in_pool: int = 0
    # The pool's index (for the analysis; kept in memory after the rollback).
    index: object = None

    @property
    def precision_at_5(self) -> float:
        return sum(n.precision_at_5 for n in self.needs) / len(self.needs) if self.needs else 0.0

    @property
    def ndcg_at_10(self) -> float:
        return sum(n.ndcg_at_10 for n in self.needs) / len(self.needs) if self.needs else 0.0

    @property
    def precision_ceiling(self) -> float:
        """The best precision@5 any ranking could reach: a need with two relevant
        experts gives at most 2/5."""
        if not self.needs:
            return 0.0
        return sum(n.ceiling for n in self.needs) / len(self.needs)

    @property
    def precision_of_ceiling(self) -> float:
        """precision@5 over its ceiling: 1.0 when every need's top 5 holds as many
        relevant experts as it has (up to 5)."""
        ceiling = self.precision_ceiling
        return self.precision_at_5 / ceiling if ceiling else 0.0

    def subset(self, flag: str, value: bool) -> "Evaluation":
        return Evaluation(
            needs=[n for n in self.needs if n.flags.get(flag) is value],
            pool_size=self.pool_size,
            busy_in_pool=self.busy_in_pool,
        )

    def splits(self) -> list[tuple[str, "Evaluation"]]:
        """(label, part) of every split the set's flags allow, the whole set first."""
        parts = [("all", self)]
        for flag, (yes, no) in {
            "has_technical_words": ("with technical words", "without technical words"),
            "field_is_wrong": ("wrong chosen field", "right or no chosen field"),
        }.items():
            if any(flag in n.flags for n in self.needs):
                parts += [(yes, self.subset(flag, True)), (no, self.subset(flag, False))]
        return parts

    @property
    def top5_slots(self) -> int:
        return sum(min(len(n.ranked), 5) for n in self.needs)

    @property
    def busy_top5_share(self) -> float:
        slots = self.top5_slots
        return sum(n.busy_in_top_5 for n in self.needs) / slots if slots else 0.0

    @property
    def busy_pool_share(self) -> float:
        return self.busy_in_pool / self.pool_size if self.pool_size else 0.0


class _Rollback(Exception):
    pass


@dataclass
class Pool:
    """A labelled set's experts in the database and in an index of their own."""

    index: object
    codes: dict
    keys: dict[int, str]  # expert pk → the set's key
    busy: set[int]


@contextmanager
def loaded_pool(data: dict, vocabulary: list[dict], *, with_synonyms: bool = True):
    """The set's vocabulary and experts, written for the duration of the block inside a
    transaction that is always rolled back (several rankings can share one load)."""
    try:
        with transaction.atomic():
            yield _load_pool(data, vocabulary, with_synonyms)
            raise _Rollback
    except _Rollback:
        pass


def evaluate(
    data: dict,
    vocabulary: list[dict],
    *,
    with_synonyms: bool = True,
    weights=None,
    depth: int = 10,
) -> Evaluation:
    with loaded_pool(data, vocabulary, with_synonyms=with_synonyms) as pool:
        return rank_needs(pool, data["needs"], weights=weights, depth=depth)


def _load_pool(data, vocabulary, with_synonyms) -> Pool:
    from experts.services.catalogue import expert_save

    vocabulary_install(vocabulary, with_synonyms=with_synonyms)
    codes = {d.code: d for d in Discipline.objects.all()}
    keys: dict[int, str] = {}
    busy: set[int] = set()
    for row in data["experts"]:
        expert = expert_save(
            name=row["name"],
            title=row.get("title", Expert.Title.OTHER),
            organisation=row["organisation"],
            region=row.get("region", Expert.Region.OTHER),
            fields=[codes[code] for code in row["fields"]],
            keywords=row.get("keywords", []),
            biography=row.get("biography", ""),
            availability=row.get("availability", Expert.Availability.AVAILABLE),
        )
        keys[expert.pk] = row["key"]
        if expert.availability == Expert.Availability.BUSY:
            busy.add(expert.pk)
    index = build_index(recommendable_experts().filter(pk__in=keys))
    return Pool(index=index, codes=codes, keys=keys, busy=busy)


def need_query(pool: Pool, need: dict):
    from experts.services.needs import keywords_resolve

    return build_query(
        pool.index,
        text=need["text"],
        field_ids={pool.codes[code].pk for code in need.get("fields", [])},
        keyword_ids={k.pk for k in keywords_resolve(words=need.get("keywords", []))},
    )


def rank_needs(pool: Pool, needs: list[dict], *, weights=None, depth: int = 10) -> Evaluation:
    """Every need ranked through the live engine; ``depth`` > 10 keeps the deeper
    recommendations (with their signals) for the analysis."""
    result = Evaluation(pool_size=len(pool.index), index=pool.index)
    result.busy_in_pool = sum(1 for pk in pool.index.pks if pk in pool.busy)
    for need in needs:
        query = need_query(pool, need)
        ranking = rank(pool.index, query, limit=max(10, depth), weights=weights)
        ranked = [pool.keys[rec.expert.pk] for rec in ranking]
        grades = grades_of(need)
        result.needs.append(
            NeedResult(
                text=need["text"],
                ranked=ranked[:10],
                grades=grades,
                precision_at_5=precision_at(ranked, grades, 5),
                ndcg_at_10=ndcg_at(ranked, grades, 10),
                flags={flag: bool(need[flag]) for flag in FLAGS if flag in need},
                busy_in_top_5=sum(1 for rec in ranking[:5] if rec.expert.pk in pool.busy),
                key=need.get("key", ""),
                deep=list(zip(ranked, ranking, strict=True)) if depth > 10 else [],
                query=query if depth > 10 else None,
            )
        )
    return result
