"""Periodic sweeps (scheduled in ``kexie.celery.BEAT_SCHEDULE``). What staff
must look at goes into their one daily digest (``experts.overdue``).

Each sweep may run any number of times: every message carries a dedupe key
naming its occasion, so each occasion is notified exactly once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone

from experts import notify, workflow
from experts.digest_links import stop_url
from experts.models import Expert, Invitation, Response, TechNeed
from experts.services.matching import REFRESH_QUEUED, need_recommendations_refresh
from experts.workdays import working_days_before

S = TechNeed.Status


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def invitation_reminder(*, now: datetime | None = None) -> int:
    """An invited expert who has neither answered nor declined is reminded once."""
    cutoff = working_days_before(_now(now), settings.EXPERTS_INVITATION_REMINDER_WORKING_DAYS)
    invitations = (
        Invitation.objects.filter(
            need__status__in=workflow.OPEN_STATUSES,
            declined_at__isnull=True,
            created_at__lte=cutoff,
        )
        .exclude(Exists(Response.objects.filter(need=OuterRef("need"), expert=OuterRef("expert"))))
        .select_related("need", "expert", "expert__user")
        .order_by("pk")
    )
    count = 0
    for invitation in invitations:
        notify.to_expert(
            invitation.expert,
            template="experts-invitation-reminder",
            context={"need": invitation.need, "need_url": notify.need_url(invitation.need)},
            dedupe_key=f"experts:invitation-reminder:{invitation.pk}",
        )
        count += 1
    return count


def rating_reminder(*, now: datetime | None = None) -> int:
    """The enterprise is reminded once to rate a need resolved days ago."""
    cutoff = _now(now) - timedelta(days=settings.EXPERTS_RATING_REMINDER_DAYS)
    needs = (
        TechNeed.objects.filter(status=S.RESOLVED, status_changed_at__lte=cutoff)
        .select_related("enterprise")
        .order_by("pk")
    )
    count = 0
    for need in needs:
        notify.to_enterprise(
            need.enterprise,
            template="experts-rate-reminder",
            context={"need": need, "need_url": notify.need_url(need)},
            dedupe_key=f"experts:rate-reminder:{need.pk}",
        )
        count += 1
    return count


def weekly_digest(*, now: datetime | None = None) -> int:
    """Each expert who wants it hears of the week's new needs in their fields."""
    now = _now(now)
    since = now - timedelta(days=7)
    needs = list(
        TechNeed.objects.filter(
            status__in=workflow.OPEN_STATUSES, published_at__gt=since, published_at__lte=now
        )
        .prefetch_related("fields")
        .order_by("-published_at", "pk")
    )
    if not needs:
        return 0
    year, week, _weekday = timezone.localtime(now).isocalendar()
    experts = (
        Expert.objects.filter(is_active=True, weekly_digest=True)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("user")
        .prefetch_related("fields")
        .order_by("pk")
    )
    sent = 0
    for expert in experts:
        if not (expert.user_id or expert.contact_email):
            continue
        field_ids = {field.pk for field in expert.fields.all()}
        matching = [n for n in needs if field_ids & {f.pk for f in n.fields.all()}]
        if not matching:
            continue
        notify.to_expert(
            expert,
            template="experts-weekly-digest",
            context={
                "needs": [(n, notify.need_url(n)) for n in matching],
                "board_url": notify.absolute("/bang/"),
                "stop_url": stop_url(expert),
            },
            dedupe_key=f"experts:digest:{expert.pk}:{year}-W{week:02d}",
        )
        sent += 1
    return sent


def recommendations_refresh_all() -> int:
    """Refresh the ranking snapshot of every open need (experts' dashboards)."""
    cache.delete(REFRESH_QUEUED)
    count = 0
    for need in TechNeed.objects.filter(status__in=workflow.OPEN_STATUSES).order_by("pk"):
        need_recommendations_refresh(need=need)
        count += 1
    return count
