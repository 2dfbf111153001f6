"""Reads of the 科协帮. Each selector owns its joins, so a page's query count
does not grow with its rows."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Avg, Case, Count, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from experts import access, rules, workflow
from experts.matching import Recommendation, need_review, recommend_experts
from experts.models import (
    Achievement,
    AchievementInterest,
    Engagement,
    Expert,
    ExpertApplication,
    Invitation,
    NeedRecommendation,
    NeedTransition,
    Rating,
    Response,
    ResponseMessage,
    ServiceLogEntry,
    TechNeed,
    Workstation,
)
from experts.workdays import WorkCalendar, working_days_before, working_days_between

S = TechNeed.Status


# --- public ------------------------------------------------------------------


def board_needs(
    *, kind: str | None = None, field_id: int | None = None, q: str | None = None
) -> QuerySet[TechNeed]:
    """Published needs open to experts, newest first, public columns only."""
    needs = (
        TechNeed.objects.filter(status__in=workflow.OPEN_STATUSES)
        .select_related("enterprise")
        .prefetch_related("fields")
        .defer("details", "enterprise__description", "enterprise__contact_phone")
        .order_by("-published_at", "-pk")
    )
    if kind:
        needs = needs.filter(kind=kind)
    if field_id:
        needs = needs.filter(fields=field_id)
    if q:
        needs = needs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return needs


def platform_figures() -> dict:
    """Needs received, matched and resolved, and the enterprises' satisfaction."""
    # One query over the transitions: a need counts once for each state it reached.
    reached = NeedTransition.objects.aggregate(
        received=Count("need", distinct=True, filter=Q(to_status=S.SUBMITTED)),
        matched=Count("need", distinct=True, filter=Q(to_status=S.MATCHED)),
        resolved=Count("need", distinct=True, filter=Q(to_status=S.RESOLVED)),
    )
    ratings = Rating.objects.aggregate(
        average=Avg("overall"), count=Count("pk"), satisfied=Count("pk", filter=Q(overall__gte=4))
    )
    satisfaction = (
        round(100 * ratings["satisfied"] / ratings["count"]) if ratings["count"] else None
    )
    return {
        **reached,
        "ratings": ratings["count"],
        "average_rating": round(ratings["average"], 1) if ratings["average"] else None,
        "satisfaction": satisfaction,
        "experts": Expert.objects.filter(is_active=True, is_public=True).count(),
    }


def expert_directory(
    *, field_id: int | None = None, region: str | None = None, q: str | None = None
) -> QuerySet[Expert]:
    experts = (
        Expert.objects.filter(is_active=True, is_public=True)
        .prefetch_related("fields")
        .only("pk", "name", "title", "organisation", "region", "availability")
        .order_by("name", "pk")
    )
    if field_id:
        experts = experts.filter(fields=field_id)
    if region:
        experts = experts.filter(region=region)
    if q:
        experts = experts.filter(
            Q(name__icontains=q) | Q(organisation__icontains=q) | Q(keywords__name__icontains=q)
        ).distinct()
    return experts


def expert_page(expert: Expert) -> dict:
    return {
        "fields": list(expert.fields.all()),
        "keywords": list(expert.keywords.filter(is_approved=True)),
        "achievements": list(expert.achievements.filter(is_published=True).select_related("field")),
        "workstations": list(
            expert.workstations.exclude(status=Workstation.Status.APPLIED).select_related("host")
        ),
        "engagement_count": expert.engagements.count(),
    }


def achievement_list(*, field_id: int | None = None) -> QuerySet[Achievement]:
    achievements = Achievement.objects.filter(is_published=True).select_related("field", "expert")
    if field_id:
        achievements = achievements.filter(field=field_id)
    return achievements


def workstation_list(*, kind: str | None = None) -> QuerySet[Workstation]:
    stations = (
        Workstation.objects.exclude(status=Workstation.Status.APPLIED)
        .select_related("host", "host__town")
        .annotate(expert_count=Count("experts", distinct=True))
        .order_by("kind", "name")
    )
    if kind:
        stations = stations.filter(kind=kind)
    return stations


def workstation_page(workstation: Workstation) -> dict:
    return {
        "experts": list(
            workstation.experts.filter(is_active=True, is_public=True).order_by("name", "pk")
        ),
        "reviews": list(workstation.reviews.order_by("-year")),
    }


# --- a need's page -----------------------------------------------------------


# Staff confirm a need's fields and keywords while they review it and while it is open.
TERM_REVIEW_STATUSES = frozenset({TechNeed.Status.SUBMITTED}) | workflow.OPEN_STATUSES


@dataclass
class NeedPage:
    need: TechNeed
    confidential: bool = False
    is_owner: bool = False
    is_staff: bool = False
    expert: Expert | None = None
    invited: bool = False
    agreed: bool = False
    own_response: Response | None = None
    fields: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    transitions: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    # Staff: suggested fields and keywords to confirm (``experts.matching.suggestions``).
    term_review: object = None
    engagement: Engagement | None = None
    actions: list[str] = field(default_factory=list)
    # The enterprise chose another expert (shown to the experts it did not choose).
    chosen_elsewhere: bool = False
    # What the owner's half-written draft still lacks before review.
    missing: list[str] = field(default_factory=list)

    @property
    def show_enterprise(self) -> bool:
        return self.confidential or not self.need.is_anonymous

    @property
    def can_respond(self) -> bool:
        return (
            self.expert is not None
            and self.need.status in workflow.OPEN_STATUSES
            and self.own_response is None
        )


def _responses(need: TechNeed, *, expert: Expert | None = None) -> list[Response]:
    responses = (
        need.responses.select_related("expert")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=ResponseMessage.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    if expert is not None:
        responses = responses.filter(expert=expert)
    return list(responses)


def need_page(need: TechNeed, user) -> NeedPage:
    """What this user sees of this need (access was checked by the caller)."""
    page = NeedPage(
        need=need,
        is_owner=rules.is_owner(user, need),
        is_staff=rules.is_staff(user),
        expert=access.expert_profile(user),
    )
    page.fields = list(need.fields.all())
    page.keywords = list(need.keywords.all())
    if page.expert is not None:
        page.invited = rules.is_invited(page.expert, need)
        page.agreed = rules.has_agreed(page.expert, need)
    page.confidential = page.is_owner or page.is_staff or page.invited or page.agreed
    if not page.confidential:
        return page
    page.attachments = list(need.attachments.order_by("uploaded_at", "pk"))
    page.engagement = (
        Engagement.objects.select_related("expert").filter(need=need).first()
        if need.status in workflow.ACCEPTED_OR_LATER
        else None
    )
    chosen = page.engagement.expert_id if page.engagement is not None else None
    if chosen is not None and not (page.is_owner or page.is_staff):
        # An expert who was not chosen sees that, not a link to an engagement
        # that is not theirs.
        page.chosen_elsewhere = page.expert is None or chosen != page.expert.pk
        if page.chosen_elsewhere:
            page.engagement = None
    if page.is_owner or page.is_staff:
        page.transitions = list(need.transitions.select_related("by").order_by("at", "pk"))
        page.responses = _responses(need)
        page.invitations = list(
            need.invitations.select_related("expert").order_by("created_at", "pk")
        )
        if page.is_staff and need.status in TERM_REVIEW_STATUSES:
            ranking, page.term_review = need_review(
                need, limit=settings.EXPERTS_RECOMMENDATION_LIMIT
            )
            if need.status in workflow.OPEN_STATUSES:
                page.recommendations = ranking
        elif need.status in workflow.OPEN_STATUSES:
            page.recommendations = recommend_experts(
                need, limit=settings.EXPERTS_RECOMMENDATION_LIMIT
            )
        actor = workflow.Actor.STAFF if page.is_staff else workflow.Actor.OWNER
        page.actions = workflow.allowed_targets(need.status, actor)
        if page.is_owner and need.status == S.DRAFT:
            page.missing = need.missing_for_review()
    elif page.expert is not None:
        page.responses = _responses(need, expert=page.expert)
        page.own_response = page.responses[0] if page.responses else None
    return page


def engagement_page(need: TechNeed) -> dict:
    engagement = Engagement.objects.select_related("expert", "response").get(need=need)
    return {
        "engagement": engagement,
        "entries": list(
            ServiceLogEntry.objects.filter(engagement=engagement)
            .select_related("author")
            .order_by("occurred_on", "pk")
        ),
        "rating": Rating.objects.filter(engagement=engagement).first(),
    }


# --- enterprises and experts ---------------------------------------------------


def enterprise_needs(user) -> QuerySet[TechNeed]:
    """Every need of the enterprises this user acts for, in every state."""
    return (
        TechNeed.objects.filter(enterprise__in=rules.enterprise_ids(user))
        .select_related("enterprise")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-created_at", "-pk")
    )


def is_first_need(enterprise) -> bool:
    """The enterprise has not yet sent a need for review (only drafts, or none)."""
    return not enterprise.needs.exclude(status=S.DRAFT).exists()


def resumable_draft(enterprise) -> TechNeed | None:
    """The draft an enterprise on its first day left halfway, to come back to."""
    if not is_first_need(enterprise):
        return None
    return enterprise.needs.filter(status=S.DRAFT).order_by("-updated_at", "-pk").first()


def expert_dashboard(expert: Expert) -> dict:
    """Needs the expert was invited to or recommended for, and their own work."""
    open_needs = Q(need__status__in=workflow.ACTIVE_STATUSES)
    return {
        "invitations": list(
            Invitation.objects.filter(open_needs, expert=expert)
            .select_related("need", "need__enterprise")
            .order_by("-created_at", "-pk")[:50]
        ),
        "recommendations": list(
            NeedRecommendation.objects.filter(
                expert=expert, need__status__in=workflow.OPEN_STATUSES
            )
            .exclude(need__invitations__expert=expert)
            .select_related("need", "need__enterprise")
            .order_by("-need__published_at", "need_id")[:50]
        ),
        "responses": list(
            Response.objects.filter(expert=expert)
            .select_related("need", "need__enterprise")
            .order_by("-created_at", "-pk")[:50]
        ),
        "engagements": list(
            Engagement.objects.filter(expert=expert)
            .select_related("need", "need__enterprise", "rating")
            .order_by("-started_at", "-pk")[:50]
        ),
    }


# --- staff ---------------------------------------------------------------------


def staff_needs(*, status: str | None = None) -> QuerySet[TechNeed]:
    """Every need, for staff, most recently changed first."""
    needs = (
        TechNeed.objects.select_related("enterprise")
        .annotate(response_count=Count("responses", distinct=True))
        .defer("details", "summary")
        .order_by("-status_changed_at", "-pk")
    )
    if status:
        needs = needs.filter(status=status)
    return needs


def status_counts() -> dict[str, int]:
    """How many needs are in each status (one query)."""
    rows = TechNeed.objects.values_list("status").annotate(n=Count("pk")).order_by()
    return {status: count for status, count in rows}


def review_queue() -> QuerySet[TechNeed]:
    """Submitted needs, the longest waiting first."""
    return (
        TechNeed.objects.filter(status=S.SUBMITTED)
        .select_related("enterprise")
        .order_by("status_changed_at", "pk")
    )


@dataclass(frozen=True)
class StuckNeed:
    need: TechNeed
    working_days: int


def _stuck_since(now: datetime, calendar: WorkCalendar) -> QuerySet[TechNeed]:
    cutoff = working_days_before(now, settings.EXPERTS_STUCK_AFTER_WORKING_DAYS, calendar=calendar)
    return (
        TechNeed.objects.filter(status__in=workflow.ACTIVE_STATUSES, status_changed_at__lte=cutoff)
        .select_related("enterprise")
        .order_by("status_changed_at", "pk")
    )


def stuck_needs(*, now: datetime | None = None) -> list[StuckNeed]:
    """Needs in a waiting state for longer than ``EXPERTS_STUCK_AFTER_WORKING_DAYS``,
    the longest waiting first."""
    now = now or timezone.now()
    # One read of the holiday overrides serves the cut-off and every row.
    calendar = WorkCalendar.load()
    return [
        StuckNeed(need, working_days_between(need.status_changed_at, now, calendar=calendar))
        for need in _stuck_since(now, calendar)
    ]


def stuck_needs_overview(*, limit: int, now: datetime | None = None) -> dict:
    """The first ``limit`` stuck needs and how many there are, in three queries
    (the holiday overrides, the rows, the count): working days are counted
    only for the rows shown, a loop over days each."""
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    needs = _stuck_since(now, calendar)
    shown = list(needs[:limit])
    return {
        "items": [
            StuckNeed(need, working_days_between(need.status_changed_at, now, calendar=calendar))
            for need in shown
        ],
        "count": len(shown) if len(shown) < limit else needs.count(),
    }


def interests_for_staff(*, status: str | None = None) -> QuerySet[AchievementInterest]:
    interests = AchievementInterest.objects.select_related(
        "achievement", "enterprise", "user", "handled_by"
    ).order_by("status", "-created_at", "-pk")
    if status:
        interests = interests.filter(status=status)
    return interests


# --- joining the expert pool -----------------------------------------------------


def latest_application(user) -> ExpertApplication | None:
    """The person's newest application, with its fields."""
    if not user.is_authenticated:
        return None
    return (
        ExpertApplication.objects.filter(user=user)
        .prefetch_related("fields")
        .order_by("-created_at", "-pk")
        .first()
    )


def staff_applications(*, status: str | None = None) -> QuerySet[ExpertApplication]:
    """Applications for staff: the pending ones oldest first, then the decided, newest first."""
    applications = ExpertApplication.objects.select_related("user", "decided_by").prefetch_related(
        "fields"
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by(
        Case(When(status=ExpertApplication.Status.PENDING, then=0), default=1),
        Case(
            When(status=ExpertApplication.Status.PENDING, then=F("created_at")),
            default=None,
        ).asc(nulls_last=True),
        "-created_at",
        "-pk",
    )


def application_counts() -> dict[str, int]:
    rows = ExpertApplication.objects.values_list("status").annotate(n=Count("pk")).order_by()
    return {status: count for status, count in rows}


def application_page(application: ExpertApplication) -> dict:
    """The application and the expert records staff made that may be this person's
    (same e-mail, mobile or name, not linked to an account)."""
    user = application.user
    same = Q(name=application.name)
    if user.email:
        same |= Q(contact_email__iexact=user.email)
    if user.phone:
        same |= Q(contact_phone=user.phone)
    return {
        "application": application,
        "fields": list(application.fields.all()),
        "similar_experts": list(
            Expert.objects.filter(same, user__isnull=True, is_active=True).order_by("name", "pk")[
                :10
            ]
        ),
    }
