"""What each app shows the public, as search documents.

One indexer per kind: the records the public may see (``public``) and the
public text of one record (``document``). Only what a logged-out visitor can
read on the record's own page goes in: no contact details, no confidential
need details, no enterprise behind an anonymous need, no private expert.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils import timezone

from experts import workflow
from experts.models import Achievement, Expert, TechNeed
from kexie.portal.content.models import Article
from kexie.portal.content.sanitize import plain_text
from kexie.portal.search.models import SearchDocument
from members.models import Branch, Society
from outreach.models import Event, Venue

Kind = SearchDocument.Kind


@dataclass(frozen=True)
class DocumentData:
    title: str
    body: str
    url: str
    date: datetime.date | None = None
    extra: str = ""


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def _lines(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _names(items) -> str:
    return "、".join(item.name for item in items)


def _local_date(moment) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


# Events ---------------------------------------------------------------------


def events() -> QuerySet:
    return (
        Event.objects.filter(status__in=(Event.Status.PUBLISHED, Event.Status.FINISHED))
        .select_related("campaign", "society", "branch", "venue")
        .prefetch_related("audiences")
    )


def event_document(event: Event) -> DocumentData:
    venue = event.venue.name if event.venue else ""
    return DocumentData(
        title=event.title,
        body=_lines(
            event.summary,
            event.description,
            event.speakers,
            _join(event.get_kind_display(), event.campaign, event.organiser, venue),
            _names(event.audiences.all()),
        ),
        url=event.get_absolute_url(),
        date=_local_date(event.starts_at),
        extra=_join(event.get_kind_display(), event.organiser, venue),
    )


# Venues, societies, branches ---------------------------------------------------


def venues() -> QuerySet:
    return Venue.objects.select_related("town")


def venue_document(venue: Venue) -> DocumentData:
    return DocumentData(
        title=venue.name,
        body=_lines(
            venue.description,
            _join(venue.get_kind_display(), venue.get_level_display(), venue.town),
            venue.address,
            venue.opening_hours,
        ),
        url=venue.get_absolute_url(),
        extra=_join(venue.get_kind_display(), venue.get_level_display(), venue.town),
    )


def societies() -> QuerySet:
    return Society.objects.filter(status=Society.Status.ACTIVE)


def society_document(society: Society) -> DocumentData:
    return DocumentData(
        title=society.name,
        body=_lines(society.discipline, society.description),
        url=society.get_absolute_url(),
        date=society.founded,
        extra=society.discipline,
    )


def branches() -> QuerySet:
    return Branch.objects.select_related("town", "parent")


def branch_document(branch: Branch) -> DocumentData:
    return DocumentData(
        title=branch.name,
        body=_lines(
            branch.description,
            _join(branch.get_kind_display(), branch.town, branch.parent),
            branch.address,
        ),
        url=branch.get_absolute_url(),
        date=branch.founded,
        extra=_join(branch.get_kind_display(), branch.town),
    )


# 科协帮 -------------------------------------------------------------------------


def experts() -> QuerySet:
    return Expert.objects.filter(is_active=True, is_public=True).prefetch_related(
        "fields", "keywords"
    )


def expert_document(expert: Expert) -> DocumentData:
    # Never the contact phone or e-mail: they are private.
    return DocumentData(
        title=expert.name,
        body=_lines(
            _join(expert.get_title_display(), expert.organisation, expert.get_region_display()),
            _names(expert.fields.all()),
            _names(expert.keywords.all()),
            expert.biography,
        ),
        url=expert.get_absolute_url(),
        extra=_join(expert.get_title_display(), expert.organisation),
    )


def needs() -> QuerySet:
    return (
        TechNeed.objects.filter(status__in=workflow.PUBLIC_STATUSES)
        .select_related("enterprise")
        .prefetch_related("fields", "keywords")
    )


def need_document(need: TechNeed) -> DocumentData:
    # The public summary only: ``details`` and attachments are confidential,
    # and an anonymous need does not name its enterprise.
    enterprise = "" if need.is_anonymous else need.enterprise.name
    return DocumentData(
        title=need.title,
        body=_lines(
            need.summary,
            _join(need.get_kind_display(), enterprise),
            _names(need.fields.all()),
            _names(need.keywords.all()),
        ),
        url=need.get_absolute_url(),
        date=_local_date(need.published_at),
        extra=_join(need.get_kind_display(), need.get_status_display(), enterprise),
    )


def achievements() -> QuerySet:
    return Achievement.objects.filter(is_published=True).select_related("field", "expert")


def achievement_document(achievement: Achievement) -> DocumentData:
    expert = achievement.expert
    expert_name = expert.name if expert and expert.is_public and expert.is_active else ""
    return DocumentData(
        title=achievement.title,
        body=_lines(
            achievement.summary,
            _join(achievement.institution, expert_name, achievement.field.name),
            _join(achievement.get_maturity_display(), achievement.get_terms_display()),
            achievement.terms_note,
        ),
        url=achievement.get_absolute_url(),
        date=_local_date(achievement.created_at),
        extra=_join(achievement.institution, expert_name, achievement.field.name),
    )


# Articles (新闻与公告) ----------------------------------------------------------


def articles() -> QuerySet:
    # Public now; a scheduled article joins the index when the periodic task
    # marks it published (``content.services.article_publish_due``).
    return Article.objects.public().select_related("column").prefetch_related("tags")


def article_document(article: Article) -> DocumentData:
    return DocumentData(
        title=article.title,
        body=_lines(
            article.summary,
            plain_text(article.body),
            _join(article.column.name, article.source, article.author_name),
            _names(article.tags.all()),
        ),
        url=article.get_absolute_url(),
        date=_local_date(article.publish_at),
        extra=_join(article.column.name, article.source),
    )


@dataclass(frozen=True)
class Indexer:
    kind: str
    model: type[Model]
    public: Callable[[], QuerySet]
    document: Callable[[Model], DocumentData]


INDEXERS: dict[str, Indexer] = {
    indexer.kind: indexer
    for indexer in [
        Indexer(Kind.EVENT, Event, events, event_document),
        Indexer(Kind.VENUE, Venue, venues, venue_document),
        Indexer(Kind.SOCIETY, Society, societies, society_document),
        Indexer(Kind.BRANCH, Branch, branches, branch_document),
        Indexer(Kind.EXPERT, Expert, experts, expert_document),
        Indexer(Kind.NEED, TechNeed, needs, need_document),
        Indexer(Kind.ACHIEVEMENT, Achievement, achievements, achievement_document),
        Indexer(Kind.ARTICLE, Article, articles, article_document),
    ]
}


def kind_of(model: type[Model]) -> str | None:
    for indexer in INDEXERS.values():
        if indexer.model is model:
            return indexer.kind
    return None
