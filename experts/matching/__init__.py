"""Recommending experts for a need: the matching engine.

One entry point, ``recommend_experts``: a need in, ranked experts with their
reasons and each signal's part of the score out. Its callers (need pages,
invitations, the recommendation snapshot) depend on nothing else.

- ``index``: expert documents (segmented profile, fields, keywords, activity)
  held in memory per process and rebuilt when experts change;
- ``engine``: the query (the need's public words, expanded with the terms of
  its keywords and of the vocabulary entries found in its text) and the score;
- ``weights``: the weight of every signal, from settings;
- ``evaluation`` and ``outcomes``: offline precision on the labelled set, and
  what became of past recommendations.

Only the need's title and public summary are read, so reasons never reveal
confidential details.
"""

from experts.matching.engine import Recommendation, build_query, rank
from experts.matching.index import current_index, recommendable_experts
from experts.models import TechNeed

__all__ = ["Recommendation", "need_review", "recommend_experts", "recommendable_experts"]


def need_query_text(need: TechNeed) -> str:
    return f"{need.title} {need.summary}"


def need_query(index, need: TechNeed):
    """The query of a need: its public words, its fields (trusted in full once staff
    confirmed them) and its keywords. Two queries: the fields and the keywords."""
    return build_query(
        index,
        text=need_query_text(need),
        field_ids={d.pk for d in need.fields.all()},
        keyword_ids={k.pk for k in need.keywords.all()},
        fields_confirmed=need.terms_confirmed_at is not None,
    )


def recommend_experts(need: TechNeed, *, limit: int = 10) -> list[Recommendation]:
    # Two queries (the need's fields and keywords), plus the index's when it is rebuilt.
    index = current_index()
    return rank(index, need_query(index, need), limit=limit)


def need_review(need: TechNeed, *, limit: int = 10):
    """For staff: the ranking and the suggested keywords and disciplines, from one index."""
    from experts.matching.suggestions import suggest_terms

    index = current_index()
    query = need_query(index, need)
    return rank(index, query, limit=limit), suggest_terms(
        need_query_text(need), field_ids=query.field_ids, index=index, query=query
    )
