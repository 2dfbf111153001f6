"""Recommending experts for a need (first version).

One entry point, ``recommend_experts``: a need in, ranked experts with their
reasons out. The matching engine replaces the inside of this module; its
callers (need pages, invitations, the recommendation snapshot) stay as they are.

Score of this version: 3 per shared discipline, 2 per shared keyword (a
keyword also counts when the expert's keyword or one of its synonyms appears
in the need's public text), minus 1 for a busy expert. Only public, active and
available experts are considered; ties go to the lower id, so the same data
always gives the same ranking. Only the public text is read, so the reasons
never reveal confidential details.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from experts.models import Expert, Keyword, TechNeed
from kexie.lib.text import normalize

FIELD_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.0
BUSY_PENALTY = 1.0


@dataclass(frozen=True)
class Recommendation:
    expert: Expert
    score: float
    reasons: list[str] = field(default_factory=list)


def recommendable_experts():
    """Experts who may be recommended at all."""
    return Expert.objects.filter(is_active=True, is_public=True).exclude(
        availability=Expert.Availability.UNAVAILABLE
    )


def _keywords_in_text(text: str) -> set[int]:
    text = normalize(text)
    return {
        keyword.pk
        for keyword in Keyword.objects.only("pk", "name", "synonyms")
        if any(normalize(term) in text for term in keyword.terms())
    }


def recommend_experts(need: TechNeed, *, limit: int = 10) -> list[Recommendation]:
    # Five queries: the need's fields, its keywords, the vocabulary, the
    # candidates and their prefetched fields and keywords (two).
    field_ids = {discipline.pk for discipline in need.fields.all()}
    keyword_ids = {keyword.pk for keyword in need.keywords.all()}
    keyword_ids |= _keywords_in_text(f"{need.title} {need.summary}")
    if not field_ids and not keyword_ids:
        return []
    candidates = (
        recommendable_experts()
        .filter(Q(fields__in=field_ids) | Q(keywords__in=keyword_ids))
        .distinct()
        .prefetch_related("fields", "keywords")
    )
    ranked = []
    for expert in candidates:
        shared_fields = sorted(
            (d for d in expert.fields.all() if d.pk in field_ids), key=lambda d: d.code
        )
        shared_keywords = sorted(
            (k for k in expert.keywords.all() if k.pk in keyword_ids), key=lambda k: k.name
        )
        score = FIELD_WEIGHT * len(shared_fields) + KEYWORD_WEIGHT * len(shared_keywords)
        reasons = []
        if shared_fields:
            reasons.append(
                _("领域相同：%(names)s") % {"names": "、".join(d.name for d in shared_fields)}
            )
        if shared_keywords:
            reasons.append(
                _("关键词：%(names)s") % {"names": "、".join(k.name for k in shared_keywords)}
            )
        if expert.availability == Expert.Availability.BUSY:
            score -= BUSY_PENALTY
            reasons.append(_("近期较忙"))
        if score > 0:
            ranked.append(Recommendation(expert=expert, score=score, reasons=reasons))
    ranked.sort(key=lambda rec: (-rec.score, rec.expert.pk))
    return ranked[:limit]
