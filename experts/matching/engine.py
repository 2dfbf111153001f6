"""Scoring a need against the index: each signal apart, then their weighted sum.

score = Σ weight[signal] × part[signal], parts as described in ``weights``.
Only experts with some relevance (text, field or keyword) are candidates; ties
go to the lower expert id, so the same data always gives the same ranking.
"""

import heapq
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from experts.matching.index import DELTA_REGIONS, MatchIndex, index_terms
from experts.matching.weights import SIGNAL_LABELS, SIGNALS, match_weights
from experts.models import Expert
from kexie.platform.lib.text import normalize

IMPLIED_FIELD_SHARE = 0.5


@dataclass(frozen=True)
class Recommendation:
    expert: Expert
    score: float
    reasons: list[str] = field(default_factory=list)
    # Each signal's part of the score (weight × value), for staff.
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def signal_parts(self) -> list[tuple[str, float]]:
        """(label, part) of every signal, in the order of the score's definition."""
        return [
            (SIGNAL_LABELS[name], self.signals[name]) for name in SIGNALS if name in self.signals
        ]


@dataclass(frozen=True)
class Query:
    terms: frozenset[str]
    field_ids: frozenset[int]
    keyword_ids: frozenset[int]
    # Fields of the keywords found in the text: what the enterprise meant, when it
    # picked no field or the wrong one.
    implied_field_ids: frozenset[int] = frozenset()


def keywords_in_text(index: MatchIndex, text: str) -> set[int]:
    """Approved vocabulary entries whose name or a synonym appears in the text."""
    text = normalize(text)
    return {
        entry.pk
        for entry in index.vocabulary.values()
        if entry.approved and any(term in text for term in entry.terms)
    }


def build_query(index: MatchIndex, *, text: str, field_ids=(), keyword_ids=()) -> Query:
    """The need's words, expanded with every term of its keywords: the enterprise's
    「峰谷价差」 also looks for the experts' 「峰谷电价」."""
    keyword_ids = set(keyword_ids) | keywords_in_text(index, text)
    terms = set(index_terms(text))
    implied = set()
    for pk in keyword_ids:
        entry = index.vocabulary.get(pk)
        if entry is not None:
            for term in entry.terms:
                terms.update(index_terms(term))
            if entry.discipline_id is not None:
                implied.add(entry.discipline_id)
    return Query(
        terms=frozenset(terms),
        field_ids=frozenset(field_ids),
        keyword_ids=frozenset(keyword_ids),
        implied_field_ids=frozenset(implied - set(field_ids)),
    )


def rank(index: MatchIndex, query: Query, *, limit: int = 10, weights=None) -> list:
    weights = weights or match_weights()
    text_scores: dict[int, float] = {}
    for term in sorted(query.terms):
        for position, weight in index.postings.get(term, {}).items():
            text_scores[position] = text_scores.get(position, 0.0) + weight
    field_counts: dict[int, int] = {}
    for pk in query.field_ids:
        for position in index.by_field.get(pk, ()):
            field_counts[position] = field_counts.get(position, 0) + 1
    implied: set[int] = set()
    for pk in query.implied_field_ids:
        implied.update(index.by_field.get(pk, ()))
    keyword_counts: dict[int, int] = {}
    for pk in query.keyword_ids:
        for position in index.by_keyword.get(pk, ()):
            keyword_counts[position] = keyword_counts.get(position, 0) + 1

    best_text = max(text_scores.values(), default=0.0) or 1.0
    fields_wanted = len(query.field_ids) or 1

    def relevance(position: int) -> dict[str, float]:
        field_part = field_counts.get(position, 0) / fields_wanted
        if position in implied:
            # A field implied by the vocabulary counts half as much as one the enterprise chose.
            field_part = max(field_part, IMPLIED_FIELD_SHARE)
        return {
            "text": text_scores.get(position, 0.0) / best_text,
            "field": field_part,
            "keyword": 1 - 0.5 ** keyword_counts.get(position, 0),
        }

    # The hot loop of a ranking: thousands of candidates, so no dict per candidate.
    w_text, w_field, w_keyword = weights["text"], weights["field"], weights["keyword"]
    priors = index.prior_scores(weights)
    pks = index.pks
    rows = []
    for position in text_scores.keys() | field_counts.keys() | keyword_counts.keys() | implied:
        text = w_text * text_scores.get(position, 0.0) / best_text
        field_part = field_counts.get(position, 0) / fields_wanted
        if position in implied and field_part < IMPLIED_FIELD_SHARE:
            field_part = IMPLIED_FIELD_SHARE
        field_score = w_field * field_part
        count = keyword_counts.get(position, 0)
        keyword = w_keyword * (1 - 0.5**count) if count else 0.0
        if text > 0 or field_score > 0 or keyword > 0:
            score = text + field_score + keyword + priors[position]
            rows.append((round(score, 9), -pks[position], position))
    recommendations = []
    for score, _pk, position in heapq.nlargest(limit, rows):
        parts = {**relevance(position), **index.priors[position]}
        recommendations.append(
            Recommendation(
                expert=index.docs[position].expert,
                score=score,
                reasons=explain(index, query, position, parts),
                signals={name: round(weights[name] * parts[name], 4) for name in SIGNALS},
            )
        )
    return recommendations


def _matched_terms(index: MatchIndex, query: Query, position: int, shown: str) -> list[str]:
    contributions = [
        (weight, term)
        for term in query.terms
        if (weight := index.postings.get(term, {}).get(position)) and term not in shown
    ]
    contributions.sort(key=lambda pair: (-pair[0], pair[1]))
    return [term for _weight, term in contributions[:3]]


def explain(index: MatchIndex, query: Query, position: int, parts: dict) -> list[str]:
    """The reasons in Chinese, in a fixed order: relevance first, workload last."""
    doc = index.docs[position]
    expert = doc.expert
    reasons = []
    shared_fields = sorted(index.field_names[pk] for pk in doc.field_ids & query.field_ids)
    if shared_fields:
        reasons.append(
            _("领域相同：%(names)s") % {"names": "、".join(name for _c, name in shared_fields)}
        )
    related_fields = sorted(index.field_names[pk] for pk in doc.field_ids & query.implied_field_ids)
    if related_fields and not shared_fields:
        reasons.append(
            _("领域相关：%(names)s") % {"names": "、".join(name for _c, name in related_fields)}
        )
    shared_keywords = sorted(
        index.vocabulary[pk].name for pk in doc.keyword_ids & query.keyword_ids
    )
    if shared_keywords:
        reasons.append(_("关键词：%(names)s") % {"names": "、".join(shared_keywords)})
    if parts["text"] > 0:
        shown = " ".join(
            [*(name for _c, name in shared_fields), *shared_keywords]
            + [" ".join(index.vocabulary[pk].terms) for pk in doc.keyword_ids & query.keyword_ids]
        )
        terms = _matched_terms(index, query, position, shown)
        if terms:
            reasons.append(_("简介相关：%(words)s") % {"words": "、".join(terms)})
    if expert.region == Expert.Region.LOCAL:
        reasons.append(_("本地专家"))
    elif expert.region in DELTA_REGIONS:
        reasons.append(_("长三角专家（%(region)s）") % {"region": expert.get_region_display()})
    if doc.invitations_year:
        rate = round(100 * doc.answered_year / doc.invitations_year)
        reasons.append(_("近一年响应率 %(rate)s%%") % {"rate": rate})
    if doc.rating_count:
        reasons.append(
            _("企业评价 %(mean).1f 分（%(count)s 次）")
            % {"mean": doc.rating_mean, "count": doc.rating_count}
        )
    if doc.open_engagements:
        reasons.append(_("正在对接 %(count)s 项需求") % {"count": doc.open_engagements})
    if expert.availability == Expert.Availability.BUSY:
        reasons.append(_("近期较忙"))
    return reasons
