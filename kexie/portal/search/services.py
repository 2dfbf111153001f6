"""Writes to the search index. The index is derived: every row can be rebuilt
from the records by ``rebuild_search_index``."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction

from kexie.platform.lib import pagecache
from kexie.portal.search.indexers import INDEXERS, DocumentData
from kexie.portal.search.models import SearchDocument
from kexie.portal.search.terms import index_terms

# Title terms weigh more than body terms in PostgreSQL's ranking.
VECTOR = SearchVector("title_terms", weight="A", config="simple") + SearchVector(
    "body_terms", weight="B", config="simple"
)
UPDATE_FIELDS = ["title", "body", "url", "date", "extra", "title_terms", "body_terms", "updated_at"]


def _row(kind: str, object_id: int, data: DocumentData) -> SearchDocument:
    row = SearchDocument(
        kind=kind,
        object_id=object_id,
        title=data.title[:200],
        body=data.body,
        url=data.url,
        date=data.date,
        extra=data.extra[:200],
        title_terms=index_terms(data.title),
        body_terms=index_terms(data.body),
    )
    row.full_clean(exclude=["search_vector"], validate_unique=False, validate_constraints=False)
    return row


def _changed() -> None:
    """Every write to the index ends here: cached search pages are out of date
    once it commits. (The index is written in bulk, which sends no signal.)"""
    pagecache.bump_on_commit("search")


def _fill_vectors(kind: str, object_ids: Iterable[int]) -> None:
    if settings.IS_POSTGRES:
        SearchDocument.objects.filter(kind=kind, object_id__in=list(object_ids)).update(
            search_vector=VECTOR
        )


def _upsert(kind: str, rows: list[SearchDocument]) -> None:
    if not rows:
        return
    SearchDocument.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=UPDATE_FIELDS,
    )
    _fill_vectors(kind, [row.object_id for row in rows])
    _changed()


@transaction.atomic
def documents_write(*, kind: str, items: list[tuple[int, DocumentData]]) -> None:
    """Write documents as given (for the recall test and the benchmark corpus)."""
    _upsert(kind, [_row(kind, object_id, data) for object_id, data in items])


@transaction.atomic
def document_refresh(*, kind: str, object_id: int) -> SearchDocument | None:
    """Index one record, or remove it from the index when it is not (or no
    longer) public or no longer exists."""
    indexer = INDEXERS[kind]
    record = indexer.public().filter(pk=object_id).first()
    if record is None:
        document_remove(kind=kind, object_id=object_id)
        return None
    _upsert(kind, [_row(kind, object_id, indexer.document(record))])
    return SearchDocument.objects.get(kind=kind, object_id=object_id)


def document_remove(*, kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
    _changed()


def index_rebuild(*, kinds: Iterable[str] | None = None, batch_size: int = 500) -> dict[str, int]:
    """Re-index every public record of ``kinds`` (all by default) in batches,
    and drop documents whose record is gone or private. Returns counts per kind."""
    counts = {}
    for kind in kinds or INDEXERS:
        counts[kind] = _rebuild_kind(kind, batch_size=batch_size)
    return counts


@transaction.atomic
def _rebuild_kind(kind: str, *, batch_size: int) -> int:
    indexer = INDEXERS[kind]
    public = indexer.public()
    SearchDocument.objects.filter(kind=kind).exclude(object_id__in=public.values("pk")).delete()
    _changed()
    ids = list(public.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        records = indexer.public().filter(pk__in=batch).order_by("pk")
        _upsert(kind, [_row(kind, r.pk, indexer.document(r)) for r in records])
    return len(ids)
