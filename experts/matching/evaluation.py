"""Offline evaluation: precision@5 and nDCG@10 on the labelled set.

The evaluation pool and the vocabulary of ``experts/data`` are written into the
database inside a transaction that is always rolled back, and the needs are
ranked through the same index and scoring code as the live pages; only the
index is restricted to the pool, so the live experts do not blur the figures.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from experts.matching.engine import build_query, rank
from experts.matching.index import build_index, recommendable_experts
from experts.models import Discipline, Expert, Keyword

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EVAL_PATH = DATA_DIR / "matching_eval.json"
VOCABULARY_PATH = DATA_DIR / "matching_vocabulary.json"


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


def precision_at(ranked: list[str], relevant: set[str], k: int) -> float:
    return sum(1 for key in ranked[:k] if key in relevant) / k


def ndcg_at(ranked: list[str], relevant: set[str], k: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, key in enumerate(ranked[:k]) if key in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


@dataclass
class NeedResult:
    text: str
    ranked: list[str]
    relevant: set[str]
    precision_at_5: float
    ndcg_at_10: float


@dataclass
class Evaluation:
    needs: list[NeedResult] = field(default_factory=list)

    @property
    def precision_at_5(self) -> float:
        return sum(n.precision_at_5 for n in self.needs) / len(self.needs) if self.needs else 0.0

    @property
    def ndcg_at_10(self) -> float:
        return sum(n.ndcg_at_10 for n in self.needs) / len(self.needs) if self.needs else 0.0


class _Rollback(Exception):
    pass


def evaluate(
    data: dict, vocabulary: list[dict], *, with_synonyms: bool = True, weights=None
) -> Evaluation:
    result = Evaluation()
    try:
        with transaction.atomic():
            _evaluate_in_transaction(data, vocabulary, result, with_synonyms, weights)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _evaluate_in_transaction(data, vocabulary, result, with_synonyms, weights):
    keywords = {k.name: k for k in vocabulary_install(vocabulary, with_synonyms=with_synonyms)}
    codes = {d.code: d for d in Discipline.objects.all()}
    keys: dict[int, str] = {}
    for row in data["experts"]:
        for name in row["keywords"]:
            if name not in keywords:
                keywords[name], _created = Keyword.objects.get_or_create(name=name)
        expert = Expert.objects.create(
            name=row["name"],
            title=row.get("title", Expert.Title.OTHER),
            organisation=row["organisation"],
            region=row.get("region", Expert.Region.OTHER),
            biography=row.get("biography", ""),
            availability=row.get("availability", Expert.Availability.AVAILABLE),
        )
        expert.fields.set([codes[code] for code in row["fields"]])
        expert.keywords.set([keywords[name] for name in row["keywords"]])
        keys[expert.pk] = row["key"]
    index = build_index(recommendable_experts().filter(pk__in=keys))
    for need in data["needs"]:
        query = build_query(
            index,
            text=need["text"],
            field_ids={codes[code].pk for code in need.get("fields", [])},
            keyword_ids={keywords[name].pk for name in need.get("keywords", [])},
        )
        ranked = [keys[rec.expert.pk] for rec in rank(index, query, limit=10, weights=weights)]
        relevant = set(need["relevant"])
        result.needs.append(
            NeedResult(
                text=need["text"],
                ranked=ranked,
                relevant=relevant,
                precision_at_5=precision_at(ranked, relevant, 5),
                ndcg_at_10=ndcg_at(ranked, relevant, 10),
            )
        )
