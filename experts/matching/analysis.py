"""Why a labelled need misses: where its relevant experts rank, and which signal put
the wrong experts ahead of them.

For each need ranked deep (``rank_needs(..., depth=N)``):

- *where*: the rank of its first relevant expert (1–5, 6–10, 11–30, deeper, or no
  relevant expert among the candidates at all: nothing in the text, meaning, field
  or keywords reached them);
- *blame*: for every wrong expert in the top 5 ranked above a relevant one left
  out of it, the signal by which the wrong expert gained most over the best-placed
  missed relevant expert (text, semantic, field, keyword, or a prior); a field
  blamed on a need whose chosen field is wrong is the issue's "wrong field decides
  the order", a keyword the "broad entry" (the entries that did it are counted).

Only for the sets one may tune on: reading a held-out set's misses would make it a
tuning set.
"""

from collections import Counter
from dataclasses import dataclass, field

from experts.matching.weights import SIGNALS

RANK_BUCKETS = ((5, "1-5"), (10, "6-10"), (30, "11-30"))


@dataclass
class NeedAnalysis:
    key: str
    text: str
    precision_at_5: float
    ceiling: float
    # Relevant expert key → rank (1-based) or None when it is no candidate.
    ranks: dict[str, int | None]
    where: str
    # Signal → how many wrong top-5 experts it put ahead.
    blame: Counter = field(default_factory=Counter)
    # Vocabulary entries that gave wrong top-5 experts their keyword part.
    entries: Counter = field(default_factory=Counter)
    flags: dict[str, bool] = field(default_factory=dict)

    @property
    def missed(self) -> bool:
        return self.precision_at_5 < self.ceiling


def _where(first: int | None, depth: int, *, exhausted: bool) -> str:
    """``exhausted``: the ranking held every candidate (fewer than ``depth``)."""
    if first is None:
        return "no candidate" if exhausted else f"not within {depth}"
    for limit, label in RANK_BUCKETS:
        if first <= limit:
            return label
    return f"31-{depth}"


def analyse_need(need, index, depth: int) -> NeedAnalysis:
    positions = {key: rank for rank, (key, _rec) in enumerate(need.deep, start=1)}
    ranks = {key: positions.get(key) for key in sorted(need.grades)}
    found = [rank for rank in ranks.values() if rank is not None]
    first = min(found, default=None)
    analysis = NeedAnalysis(
        key=need.key,
        text=need.text,
        precision_at_5=need.precision_at_5,
        ceiling=need.ceiling,
        ranks=ranks,
        where=_where(first, depth, exhausted=len(need.deep) < depth),
        flags=need.flags,
    )
    missed = [
        rec for key, rec in need.deep[5:] if key in need.grades
    ]  # relevant experts below the top 5, best first
    if not missed:
        return analysis
    target = missed[0].signals
    query = need.query
    for key, rec in need.deep[:5]:
        if key in need.grades:
            continue
        gains = {name: rec.signals.get(name, 0.0) - target.get(name, 0.0) for name in SIGNALS}
        signal = max(SIGNALS, key=lambda name: (gains[name], -SIGNALS.index(name)))
        analysis.blame[signal] += 1
        if signal == "keyword" and query is not None:
            doc_keywords = index.docs[index.pks.index(rec.expert.pk)].keyword_ids
            for pk in doc_keywords & query.keyword_ids:
                analysis.entries[index.vocabulary[pk].name] += 1
    return analysis


@dataclass
class Summary:
    needs: int = 0
    missed: int = 0
    where: Counter = field(default_factory=Counter)
    blame: Counter = field(default_factory=Counter)
    # Field blamed on needs whose chosen field is wrong.
    wrong_field_blame: int = 0
    entries: Counter = field(default_factory=Counter)


def summarise(analyses: list[NeedAnalysis]) -> Summary:
    summary = Summary(needs=len(analyses))
    for analysis in analyses:
        summary.where[analysis.where] += 1
        if not analysis.missed:
            continue
        summary.missed += 1
        summary.blame.update(analysis.blame)
        if analysis.flags.get("field_is_wrong"):
            summary.wrong_field_blame += analysis.blame.get("field", 0)
        summary.entries.update(analysis.entries)
    return summary


def analyse(evaluation, index, depth: int) -> tuple[list[NeedAnalysis], Summary]:
    analyses = [analyse_need(need, index, depth) for need in evaluation.needs]
    return analyses, summarise(analyses)
