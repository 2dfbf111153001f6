"""Workbench blocks for what follows an event and for the personal-information
duties (association staff only): the newest feedback results, certificates
issued and revoked, and the privacy desk (records due for anonymisation at
the next nightly run, the latest exports of personal data). Each costs a fixed
number of queries."""

from datetime import timedelta

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from kexie.platform.privacy import registry as privacy_registry
from kexie.platform.privacy.models import ExportLog
from kexie.portal.workbench import registry
from kexie.portal.workbench.blocks import CACHE_SECONDS
from outreach.models import Certificate, Event, FeedbackAnswer, FeedbackInvitation, SurveyQuestion

LIST_LENGTH = 5
RECENT_DAYS = 30


def feedback_results(request) -> dict:
    """The newest events whose attendees were sent the survey: links sent,
    answers, the response rate and the mean overall rating (two queries)."""
    events = list(
        FeedbackInvitation.objects.values("registration__event")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            title=Max("registration__event__title"),
            starts_at=Max("registration__event__starts_at"),
        )
        .order_by("-starts_at")[:LIST_LENGTH]
    )
    ids = [row["registration__event"] for row in events]
    overall = dict(
        FeedbackAnswer.objects.filter(
            response__event_id__in=ids,
            question__topic=SurveyQuestion.Topic.OVERALL,
            value__isnull=False,
        )
        .values_list("response__event_id")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    for row in events:
        row["rate"] = round(100 * row["answered"] / row["sent"]) if row["sent"] else None
        mean = overall.get(row["registration__event"])
        row["overall"] = round(mean, 1) if mean is not None else None
    return {"events": events}


def certificates(request) -> dict:
    """Certificates issued and revoked lately, and the newest events that give
    one with how many were issued (two queries)."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    figures = Certificate.objects.aggregate(
        issued=Count("pk", filter=Q(issued_at__gte=since)),
        revoked=Count("pk", filter=Q(revoked_at__gte=since)),
    )
    events = list(
        Event.objects.filter(gives_certificate=True, ends_at__lte=timezone.now())
        .annotate(
            issued=Count("registrations__certificate"),
            attended=Count(
                "registrations", filter=Q(registrations__status="attended"), distinct=True
            ),
        )
        .order_by("-ends_at")
        .only("pk", "title", "ends_at", "certificate_hours")[:LIST_LENGTH]
    )
    return {**figures, "events": events, "days": RECENT_DAYS}


def privacy_desk(request) -> dict:
    """What the next nightly run will anonymise (one count per rule), and the
    latest staff exports of personal data (one query)."""
    now = timezone.now()
    due = [(rule.label, rule.run(now, True)) for rule in privacy_registry.rules()]
    exports = list(ExportLog.objects.select_related("user")[:LIST_LENGTH])
    return {"due": due, "due_total": sum(n for _, n in due), "exports": exports}


# Kept per user for a minute; the privacy desk counts records of every domain
# and the exports, and is fresh within that minute.
registry.register(
    "feedback_results",
    order=60,
    template="workbench/_feedback.html",
    context=feedback_results,
    cache_seconds=CACHE_SECONDS,
    domains=("outreach",),
)
registry.register(
    "certificates",
    order=70,
    template="workbench/_certificates.html",
    context=certificates,
    cache_seconds=CACHE_SECONDS,
    domains=("outreach",),
)
registry.register(
    "privacy_desk",
    order=80,
    template="workbench/_privacy.html",
    context=privacy_desk,
    cache_seconds=CACHE_SECONDS,
    domains=("outreach", "experts", "members"),
)
