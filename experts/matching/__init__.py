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

__all__ = ["Recommendation", "recommend_experts", "recommendable_experts"]


def need_query_text(need: TechNeed) -> str:
    return f"{need.title} {need.summary}"


def recommend_experts(need: TechNeed, *, limit: int = 10) -> list[Recommendation]:
    # Two queries (the need's fields and keywords), plus four when the index is rebuilt.
    field_ids = {d.pk for d in need.fields.all()}
    keyword_ids = {k.pk for k in need.keywords.all()}
    index = current_index()
    query = build_query(
        index, text=need_query_text(need), field_ids=field_ids, keyword_ids=keyword_ids
    )
    return rank(index, query, limit=limit)
