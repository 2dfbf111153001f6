"""Reads of articles. Each list owns its joins, so its query count does not
grow with its rows."""

from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from experts import workflow
from experts.models import TechNeed
from kexie.platform.lib import parts
from kexie.portal.content.models import Article, Attachment, Column, Correction
from members.models import Society
from outreach.models import Event

S = Article.Status


class Columns(list):
    """The columns, and the HTML of their tabs kept beside them per language
    and current column (``content.views``) and the first pages of the lists'
    rows (``public_list_page``): made once per process until a content write
    or the content clock's next moment, as the list itself."""

    def __init__(self, *args):
        super().__init__(*args)
        self.tabs: dict[tuple, str] = {}
        #: (column id or None, page number, rows a page) → the page's rows
        #: (``public_list_page``).
        self.pages: dict[tuple, list[tuple]] = {}


def columns() -> Columns:
    """Every column, kept in the process until a content write."""
    return parts.cached_value(
        "content.columns", ("content",), lambda: Columns(Column.objects.all())
    )


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


def article_public_row(*, pk: int, now: datetime | None = None) -> Article | None:
    """A public article with its column, organisation and cover, without the
    records it lists (``detail_prefetches``, loaded only to render its page)."""
    return (
        Article.objects.public(now)
        .select_related("column", "society", "branch", "cover")
        .filter(pk=pk)
        .first()
    )


def article_public_head(*, pk: int, now: datetime | None = None) -> Article | None:
    """A public article with what its page shows around its kept body (title,
    summary, cover, closing time), without its body, organisation or column:
    the full row is read only when the body is rendered (``article_public_row``)."""
    return (
        Article.objects.public(now)
        .select_related("cover")
        .only("pk", "title", "summary", "closes_at", "cover")
        .filter(pk=pk)
        .first()
    )


def public_list_rows(*, column: Column | None = None, now: datetime | None = None) -> QuerySet:
    """``public_list`` as ``(pk, pinned now, closing time, the list's count)``
    rows: a page of them and the pager's count in one query, then the entries
    kept apart (``content.rendered.article_items``)."""
    return (
        public_list(column=column, now=now)
        .annotate(total=Window(Count("pk")))
        .values_list("pk", "pinned_now", "closes_at", "total")
    )


#: Pages of a list kept in the process (the first ones, read most; bounded,
#: whatever page numbers are asked for).
KEPT_PAGES = 20


def public_list_page(
    *, columns: Columns, column: Column | None, number: int, per_page: int
) -> list[tuple]:
    """Page ``number`` of ``public_list_rows`` now, ``per_page`` rows a page
    (empty past the list's end).
    The first ``KEPT_PAGES`` are kept beside ``columns`` (``columns()``, kept
    under the ``content`` generation): what is public and what is pinned
    change only with a content write or at a moment the content clock bumps
    it (an article's publishing time, a notice's closing time), the rows are
    read after the generation was, and they carry the closing time, so
    whether a notice is closed is decided when the page is shown."""
    key = (column.pk if column is not None else None, number, per_page)
    found = columns.pages.get(key)
    if found is None:
        rows = public_list_rows(column=column, now=timezone.now())
        found = list(rows[(number - 1) * per_page : number * per_page])
        if number <= KEPT_PAGES:
            columns.pages[key] = found
    return found


def articles_by_id(ids: list[int]) -> dict[int, Article]:
    """These articles (any status) with their column and cover, by id. One query."""
    return Article.objects.select_related("column", "cover").defer("body").in_bulk(ids)


def article_any(*, pk: int) -> Article | None:
    """For a preview: whatever its status."""
    return _with_details(Article.objects.all()).filter(pk=pk).first()


def _with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("column", "society", "branch", "cover").prefetch_related(
        *detail_prefetches()
    )


def detail_prefetches() -> list:
    """What an article's page lists; related records only while the public may see them."""
    return [
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
    ]


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


# The home page -----------------------------------------------------------------

#: Articles each column shows on the home page (its newest, pinned notices first).
HOME_PER_COLUMN = 6


def home_columns(*, now: datetime | None = None, per_column: int = HOME_PER_COLUMN) -> list:
    """The columns staff put on the home page, each with ``home_articles``: its
    newest public articles, open pinned notices first. Two queries however many
    columns and articles there are (a window numbers each column's rows)."""
    now = now or timezone.now()
    shown = list(Column.objects.filter(on_home=True))
    if not shown:
        return []
    pinned = Case(When(_pinned_now(now), then=Value(1)), default=Value(0))
    rows = (
        Article.objects.public(now)
        .filter(column__in=shown)
        .select_related("cover")
        .annotate(
            pinned_now=Case(When(_pinned_now(now), then=Value(True)), default=Value(False),
                            output_field=BooleanField()),
            place=Window(
                RowNumber(),
                partition_by=[F("column_id")],
                order_by=[pinned.desc(), F("publish_at").desc(), F("pk").desc()],
            ),
        )
        .filter(place__lte=per_column)
        .order_by("column_id", "place")
    )  # fmt: skip
    by_column: dict[int, list[Article]] = {column.pk: [] for column in shown}
    for article in rows:
        by_column[article.column_id].append(article)
    for column in shown:
        column.home_articles = by_column[column.pk]
        for article in column.home_articles:
            article.column = column  # already loaded: no query per row
    return shown


def workbench_summary(*, user, scope, limit: int = 5) -> dict:
    """What waits in the content workflow for ``user``: articles to review
    (staff; never their own, which another member of staff must approve),
    their own drafts, returned and submitted articles, and what is scheduled
    in their organisations. At most four queries."""
    to_review = []
    to_review_count = 0
    if user.is_association_staff:
        queue = (
            Article.objects.filter(status=S.SUBMITTED)
            .exclude(Q(created_by=user) | Q(submitted_by=user))
            .select_related("column", "submitted_by")
            .order_by("submitted_at", "pk")
        )
        to_review = list(queue[:limit])
        to_review_count = len(to_review) if len(to_review) < limit else queue.count()
    drafts = list(
        Article.objects.filter(created_by=user, status__in=(S.DRAFT, S.RETURNED, S.SUBMITTED))
        .select_related("column")
        .order_by("-updated_at", "-pk")[:limit]
    )
    scheduled = list(
        Article.objects.filter(scope.q(), status=S.SCHEDULED, publish_at__gt=timezone.now())
        .select_related("column")
        .order_by("publish_at", "pk")[:limit]
    )
    return {
        "to_review": to_review,
        "to_review_count": to_review_count,
        "drafts": drafts,
        "scheduled": scheduled,
    }
