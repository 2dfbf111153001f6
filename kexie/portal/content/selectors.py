"""Reads of articles. Each list owns its joins, so its query count does not
grow with its rows."""

from datetime import datetime

from django.db.models import BooleanField, Case, Min, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from experts import workflow
from experts.models import TechNeed
from kexie.portal.content.models import Article, Attachment, Column, Correction
from members.models import Society
from outreach.models import Event

S = Article.Status


def columns() -> list[Column]:
    return list(Column.objects.all())


def column_by_slug(slug: str) -> Column | None:
    return Column.objects.filter(slug=slug).first()


def _pinned_now(now: datetime) -> Q:
    return Q(is_pinned=True, column__allows_pinning=True) & (
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )


def public_list(*, column: Column | None = None, now: datetime | None = None) -> QuerySet:
    """Public articles, pinned open notices first, then newest first."""
    now = now or timezone.now()
    queryset = Article.objects.public(now).select_related("column", "cover")
    if column is not None:
        queryset = queryset.filter(column=column)
    return queryset.annotate(
        pinned_now=Case(When(_pinned_now(now), then=Value(True)), default=Value(False),
                        output_field=BooleanField())
    ).order_by("-pinned_now", "-publish_at", "-pk")  # fmt: skip


def article_public(*, pk: int, now: datetime | None = None) -> Article | None:
    return _with_details(Article.objects.public(now)).filter(pk=pk).first()


def article_any(*, pk: int) -> Article | None:
    """For a preview: whatever its status."""
    return _with_details(Article.objects.all()).filter(pk=pk).first()


def _with_details(queryset: QuerySet) -> QuerySet:
    # Related records are listed only while the public may see them.
    return queryset.select_related("column", "society", "branch", "cover").prefetch_related(
        "tags",
        Prefetch("attachments", queryset=Attachment.objects.order_by("order", "pk")),
        Prefetch("corrections", queryset=Correction.objects.order_by("made_at", "pk")),
        Prefetch(
            "related_events",
            queryset=Event.objects.filter(status__in=Event.PUBLIC_STATUSES).order_by("-starts_at"),
        ),
        "related_venues",
        Prefetch(
            "related_societies",
            queryset=Society.objects.filter(status=Society.Status.ACTIVE),
        ),
        Prefetch(
            "related_needs",
            queryset=TechNeed.objects.filter(status__in=workflow.PUBLIC_STATUSES),
        ),
    )


def pinned_notices(*, now: datetime | None = None, limit: int = 5) -> list[Article]:
    now = now or timezone.now()
    return list(
        Article.objects.public(now)
        .filter(_pinned_now(now))
        .select_related("column")
        .order_by("-publish_at", "-pk")[:limit]
    )


def latest(
    *, column_slug: str | None = None, now: datetime | None = None, limit: int = 5
) -> list[Article]:
    queryset = Article.objects.public(now).select_related("column", "cover")
    if column_slug:
        queryset = queryset.filter(column__slug=column_slug)
    return list(queryset.order_by("-publish_at", "-pk")[:limit])


def feed_items(*, column: Column, limit: int = 30) -> list[Article]:
    return list(
        Article.objects.public().filter(column=column).order_by("-publish_at", "-pk")[:limit]
    )


def next_public_change(now: datetime | None = None) -> datetime | None:
    """The next moment a public page changes without a write: a scheduled
    article going public, or a pinned notice reaching its closing time."""
    now = now or timezone.now()
    moments = Article.objects.aggregate(
        publish=Min(
            "publish_at",
            filter=Q(status__in=(S.SCHEDULED, S.PUBLISHED), publish_at__gt=now),
        ),
        close=Min("closes_at", filter=Q(status__in=(S.SCHEDULED, S.PUBLISHED), closes_at__gt=now)),
    )
    found = [moment for moment in moments.values() if moment is not None]
    return min(found) if found else None


def awaiting_review() -> QuerySet:
    return (
        Article.objects.filter(status=S.SUBMITTED)
        .select_related("column", "created_by", "submitted_by", "society", "branch")
        .order_by("submitted_at", "pk")
    )
