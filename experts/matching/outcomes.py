"""What became of recommendations, and the online figures of the engine.

The steps after a recommendation (invitation, response, acceptance, rating)
are already records of their own; ``recommendation_events_sync`` copies them,
and the current recommendation snapshots, into ``RecommendationEvent`` rows that
outlive the snapshot (which a refresh rewrites). It is idempotent.
"""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.db import transaction
from django.db.models import Count, F, Min, Q

from experts.models import (
    Engagement,
    Expert,
    Invitation,
    NeedRecommendation,
    Rating,
    RecommendationEvent,
    Response,
    TechNeed,
)

K = RecommendationEvent.Kind


@transaction.atomic
def recommendation_events_sync() -> int:
    """Record every step not recorded yet; returns how many rows were added."""
    engagements: dict[int, list[tuple]] = {}
    for expert, need, started, resolved in Engagement.objects.values_list(
        "expert", "need", "started_at", "resolved_at"
    ):
        engagements.setdefault(expert, []).append((need, started, resolved))

    def engaged_elsewhere(rec) -> bool:
        # Serving another need when recommended: the same test as the workload signal.
        return any(
            need != rec.need_id
            and started <= rec.created_at
            and (resolved or rec.created_at) >= rec.created_at
            for need, started, resolved in engagements.get(rec.expert_id, ())
        )

    rows = [
        RecommendationEvent(
            need_id=rec.need_id,
            expert_id=rec.expert_id,
            kind=K.RECOMMENDED,
            at=rec.created_at,
            rank=rec.rank,
            score=rec.score,
            # Availability has no history: the expert's setting now stands in for it.
            expert_busy=rec.expert.availability == Expert.Availability.BUSY
            or engaged_elsewhere(rec),
        )
        for rec in NeedRecommendation.objects.select_related("expert")
    ]
    rows += [
        RecommendationEvent(need_id=need, expert_id=expert, kind=K.INVITED, at=at)
        for need, expert, at in Invitation.objects.values_list("need", "expert", "created_at")
    ]
    rows += [
        RecommendationEvent(need_id=need, expert_id=expert, kind=K.RESPONDED, at=at)
        for need, expert, at in Response.objects.values_list("need", "expert", "created_at")
    ]
    rows += [
        RecommendationEvent(need_id=need, expert_id=expert, kind=K.ACCEPTED, at=at)
        for need, expert, at in Engagement.objects.values_list("need", "expert", "started_at")
    ]
    rows += [
        RecommendationEvent(need_id=need, expert_id=expert, kind=K.RATED, at=at)
        for need, expert, at in Rating.objects.values_list(
            "engagement__need", "engagement__expert", "rated_at"
        )
    ]
    before = RecommendationEvent.objects.count()
    RecommendationEvent.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return RecommendationEvent.objects.count() - before


@dataclass(frozen=True)
class OnlineFigures:
    invitations: int
    invitation_acceptance_rate: float | None  # invitations the expert answered with a response
    needs_with_response: int
    median_hours_to_first_response: float | None
    needs_published: int
    accepted_within_7_days_share: float | None
    top5_slots: int
    top5_busy_share: float | None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def online_figures() -> OnlineFigures:
    invitations = Invitation.objects.count()
    answered = Invitation.objects.filter(need__responses__expert=F("expert")).count()
    published = TechNeed.objects.filter(published_at__isnull=False).annotate(
        first_response=Min("responses__created_at")
    )
    waits = [
        (need.first_response - need.published_at).total_seconds() / 3600
        for need in published
        if need.first_response is not None
    ]
    accepted_fast = (
        Engagement.objects.filter(need__published_at__isnull=False)
        .filter(started_at__lte=F("need__published_at") + timedelta(days=7))
        .count()
    )
    top5 = RecommendationEvent.objects.filter(kind=K.RECOMMENDED, rank__lte=5)
    counts = top5.aggregate(total=Count("pk"), busy=Count("pk", filter=Q(expert_busy=True)))
    return OnlineFigures(
        invitations=invitations,
        invitation_acceptance_rate=_share(answered, invitations),
        needs_with_response=len(waits),
        median_hours_to_first_response=median(waits) if waits else None,
        needs_published=len(published),
        accepted_within_7_days_share=_share(accepted_fast, len(published)),
        top5_slots=counts["total"],
        top5_busy_share=_share(counts["busy"], counts["total"]),
    )
