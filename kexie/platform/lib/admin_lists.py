"""Admin change lists of big tables (200,000 sign-ups, the outbox, people).

``LargeTableAdminMixin`` keeps what a change list shows and takes out the work
that grows with the table or repeats per row:

- one ``COUNT(*)`` instead of two: ``show_full_result_count = False`` (a
  filtered list offers "show all" instead of the table's total, as Django
  documents for big tables);
- the count that remains, for the pager and "N records", is kept for
  ``COUNT_SECONDS`` per query (a count over 200,000 rows costs 17-25 ms) and
  taken afresh at once after a write bumping the model's page-cache domain;
  rows added without such a bump (a sign-up bumps only its event; the outbox
  has no domain) show in the count within that time. Never kept inside a
  transaction, which may see uncommitted rows;
- the date hierarchy's reads (the first and last date, then the distinct
  years, months or days: a scan of every row, 180 ms over 200,000 messages)
  kept the same way; the count and these reads, once a process has seen
  them, kept in it until they expire in the cache (``_seen``: a round trip
  to Redis each, three a request of the events' list);
- the generations of the domains a list's keys are made with (its model's,
  its filters' related models') read in one round trip for a request
  (``_generations``), not one for each filter and one for the count;
- the choices of its filters: those of a relation (campaigns, towns) kept in
  the process while the generation of the related model's domain is the same
  (``parts.cached_value``), the distinct values of a column (people's titles:
  a scan of the table) kept as the count is;
- the row's selection checkbox written as HTML (Django renders a form widget
  through the template engine for each of 100 rows: a fifth of the page);
- each row's HTML kept (``kept_results``) under a digest of everything it is
  rendered from: the row's values, those of the related rows it was read
  with, and what of the list shapes a row (columns, links, filters kept in
  the links, time zone). Django's admin spends 0.3 ms rendering a row; a row
  whose values have not changed is taken from ``parts.cached_parts`` in one
  round trip for the page. Exact without any invalidation: a changed value
  is another digest.
"""

import contextvars
import functools
import hashlib
import logging
import pickle
import time
from collections.abc import Iterable, Sequence

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList, items_for_result
from django.contrib.admin.utils import get_fields_from_path
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection, connections, models
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kexie.platform.lib import pagecache, parts

log = logging.getLogger(__name__)

#: How long a change list's count is kept.
COUNT_SECONDS = 60
#: How long a row's HTML is kept unused (it is exact whatever its age).
ROW_SECONDS = 3600


def _rows_counted(query):
    """The query's rows as a count sees them, to key it by: the same tables,
    joins, conditions, grouping and distinctness, without the columns, the
    related rows read with each and the order (compiling the events' list
    with its seat sums and three related rows costs 1.4 ms; this a tenth).
    The query itself where its shape is unusual (sliced, combined, grouped,
    distinct, extra)."""
    if (
        query.is_sliced
        or query.combinator
        or query.distinct
        or query.group_by is not None
        or query.extra
        or any(annotation.contains_aggregate for annotation in query.annotations.values())
    ):
        return query
    counted = query.chain()
    counted.clear_ordering(force=True)
    counted.select_related = False
    counted.clear_select_fields()
    counted.default_cols = False
    counted.set_annotation_mask(())
    counted.add_fields([query.get_meta().pk.attname])
    return counted


def _count_key(queryset) -> str | None:
    query = queryset.query
    # Kept on the query itself for the list's other reads of the same query
    # (the count, then the date hierarchy's): compiling the events' query
    # costs more than the reads kept. A clone (a filter added) has its own.
    found = getattr(query, "_kept_key", None)
    if found is not None and found[0] is query:
        return found[1]
    try:
        sql, params = _rows_counted(query).sql_with_params()
    except EmptyResultSet:
        key = None
    else:
        domain = pagecache.DOMAINS.get(queryset.model._meta.app_label)
        generation = _generations((domain,))[0] if domain else ""
        text = f"{queryset.db}|{sql}|{params!r}|{generation}"
        key = "admin:kept:" + hashlib.sha256(text.encode()).hexdigest()
    query._kept_key = (query, key)
    return key


#: The domains' generations read for the change list being requested (a GET):
#: (domains to read at the first need, domain → generation), set by
#: ``LargeTableAdminMixin.changelist_view``.
_read_once: contextvars.ContextVar[tuple[tuple[str, ...], dict] | None] = contextvars.ContextVar(
    "admin_lists_generations", default=None
)


def _generations(domains: Iterable[str]) -> tuple:
    """``pagecache.generations(domains)``; during a change list's GET, read
    once for all the domains its keys are made with (one round trip where
    each filter and the count made their own). Read before anything kept
    under them is computed, as each read was: a value computed after a
    generation was read is never older than it."""
    domains = tuple(domains)
    found = _read_once.get()
    if found is None:
        return pagecache.generations(domains)
    wanted, read = found
    missing = [domain for domain in domains if domain not in read]
    if missing:
        asked = tuple(dict.fromkeys((*missing, *wanted)))
        read.update(zip(asked, pagecache.generations(asked), strict=True))
    return tuple(read[domain] for domain in domains)


#: Values of ``_kept`` this process has read or computed: key → (value, the
#: moment it expires in the cache). Used until then without asking the
#: cache: the same value the cache gives, as old as it may be there.
_seen: dict[str, tuple[object, float]] = {}
_MAX_SEEN = 2048


def _kept(queryset, what: str, compute):
    """``compute()``, kept for ``COUNT_SECONDS`` under the query and ``what``."""
    if connection.in_atomic_block:
        return compute()
    try:
        key = _count_key(queryset)
        key = key and f"{key}:{hashlib.sha256(what.encode()).hexdigest()[:16]}"
        seen = _seen.get(key) if key else None
        if seen is not None and seen[1] > time.time():
            return seen[0]
        found = cache.get(key) if key else None
    except Exception:
        log.warning("admin lists: cache unavailable", exc_info=True)
        return compute()
    if isinstance(found, tuple) and len(found) == 2:
        value, until = found
        _remember(key, value, until)
        return value
    started = time.time()
    value = compute()
    if key:
        try:
            # Stored with the moment it expires, for the processes that keep it (``_seen``).
            cache.set(key, (value, started + COUNT_SECONDS), COUNT_SECONDS)
        except Exception:
            log.warning("admin lists: could not store", exc_info=True)
        else:
            _remember(key, value, started + COUNT_SECONDS)
    return value


def _remember(key: str, value, until: float) -> None:
    if len(_seen) >= _MAX_SEEN:
        now = time.time()
        for old in [k for k, (_value, expires) in _seen.items() if expires <= now]:
            del _seen[old]
        if len(_seen) >= _MAX_SEEN:
            _seen.clear()
    _seen[key] = (value, until)


class _DatesKept:
    """A change list's queryset whose date-hierarchy reads are kept."""

    def aggregate(self, *args, **kwargs):
        return _kept(
            self,
            f"aggregate:{args!r}:{kwargs!r}",
            lambda: super(_DatesKept, self).aggregate(*args, **kwargs),
        )

    def datetimes(self, *args, **kwargs):
        return _kept(
            self,
            f"datetimes:{args!r}:{kwargs!r}",
            lambda: list(super(_DatesKept, self).datetimes(*args, **kwargs)),
        )

    def dates(self, *args, **kwargs):
        return _kept(
            self,
            f"dates:{args!r}:{kwargs!r}",
            lambda: list(super(_DatesKept, self).dates(*args, **kwargs)),
        )


def _with_dates_kept(queryset):
    kinds = type(queryset)
    if not issubclass(kinds, _DatesKept):
        counted = queryset.query
        found = getattr(counted, "_kept_key", None)
        queryset = queryset._chain()
        queryset.__class__ = type(f"DatesKept{kinds.__name__}", (_DatesKept, kinds), {})
        if found is not None and found[0] is counted:
            # The same query as the one counted: the same key.
            queryset.query._kept_key = (queryset.query, found[1])
    return queryset


class CachedCountPaginator(Paginator):
    """A paginator whose count is kept for ``COUNT_SECONDS`` per query."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        return _kept(queryset, "count", lambda: super(CachedCountPaginator, self).count)


class _KeptRelatedFilter(admin.RelatedFieldListFilter):
    """Django's filter of a relation, its choices kept (``parts.cached_value``)."""

    def field_choices(self, field, request, model_admin):
        def compute():
            return super(_KeptRelatedFilter, self).field_choices(field, request, model_admin)

        domain = pagecache.DOMAINS.get(field.related_model._meta.app_label)
        if domain is None:
            return compute()
        ordering = self.field_admin_ordering(field, request, model_admin)
        name = (
            f"admin-filter:{model_admin.model._meta.label}:{self.field_path}:"
            f"{get_language()}:{ordering!r}"
        )
        return parts.cached_value(name, [domain], compute, read=_generations)


class _KeptValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter of a column's distinct values, kept as the count is."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        values = self.lookup_choices
        self.lookup_choices = _kept(values, "values", lambda: list(values))


@functools.cache
def _list_domains(model, paths: tuple) -> tuple[str, ...]:
    """The domains whose generations a list of ``model`` filtered by ``paths``
    keys what it keeps with: the model's (its count, dates), and those of the
    related models its filters offer."""
    domains = [pagecache.DOMAINS.get(model._meta.app_label)]
    for path in paths:
        if isinstance(path, str):
            field = get_fields_from_path(model, path)[-1]
            if field.remote_field:
                domains.append(pagecache.DOMAINS.get(field.related_model._meta.app_label))
    return tuple(domain for domain in dict.fromkeys(domains) if domain)


def _kept_filter(model, item):
    """The filter Django would make of ``item``, kept where it reads rows."""
    if not isinstance(item, str):
        return item
    field = get_fields_from_path(model, item)[-1]
    if field.remote_field:
        return (item, _KeptRelatedFilter)
    if isinstance(field, models.BooleanField | models.DateField) or field.choices:
        return item  # no query
    return (item, _KeptValuesFilter)


class _RowsOnDemand(Sequence):
    """A change list's page of rows, read as the queryset reads it (one
    statement, its values converted) and each row made a model object only
    when asked for: a row whose HTML is kept (``kept_results``) is keyed by
    its values and never built (50 model objects and their related rows were
    a tenth of the events' list)."""

    def __init__(self, queryset):
        self._queryset = queryset
        self._compiler = None
        self._rows: list | None = None
        self._objects: dict[int, object] = {}
        self._building = None

    @classmethod
    def of(cls, queryset):
        """``queryset`` as rows on demand, or itself where rows are not all it
        gives (prefetched relations, values, objects known already)."""
        if (
            isinstance(queryset, models.QuerySet)
            and queryset._result_cache is None
            and queryset._iterable_class is ModelIterable
            and not queryset._prefetch_related_lookups
            and not queryset._known_related_objects
            and not queryset.query.select_for_update
        ):
            return cls(queryset)
        return queryset

    def rows(self) -> list:
        """Each row's values, converted, as a tuple."""
        if self._rows is None:
            queryset = self._queryset
            built = _compiled(queryset.query, queryset.db)
            if built is None:
                compiler = queryset.query.get_compiler(using=queryset.db)
                results = compiler.execute_sql(chunked_fetch=False)
            else:
                compiler, sql, params = built
                with connections[queryset.db].cursor() as cursor:
                    cursor.execute(sql, params)
                    fetched = cursor.fetchall()
                if compiler.has_extra_select:
                    fetched = [row[: compiler.col_count] for row in fetched]
                results = [fetched]
            self._rows = [tuple(row) for row in compiler.results_iter(results)]
            self._compiler = compiler
        return self._rows

    def __len__(self) -> int:
        return len(self.rows())

    def __getitem__(self, index):
        rows = self.rows()
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(rows)))]
        if index < 0:
            index += len(rows)
        found = self._objects.get(index)
        if found is None:
            found = self._objects[index] = self._build(rows[index])
        return found

    def _build(self, row):
        """The model object of ``row``, as Django's ``ModelIterable`` builds it."""
        if self._building is None:
            compiler, db = self._compiler, self._queryset.db
            klass_info, select = compiler.klass_info, compiler.select
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            self._building = (
                klass_info["model"],
                [column[0].target.attname for column in select[start:end]],
                start,
                end,
                get_related_populators(klass_info, select, db),
                compiler.annotation_col_map,
            )
        model, names, start, end, populators, annotations = self._building
        obj = model.from_db(self._queryset.db, names, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in (annotations or {}).items():
            setattr(obj, name, row[position])
        return obj


#: A page's statement, built once per query: (pickled query, database, its
#: vendor, time zone) → (compiler, SQL, parameters).
_statements: dict[tuple, tuple] = {}
_MAX_STATEMENTS = 256
#: Set on a query by ``_count_key``: not part of what the query selects.
_NOT_QUERY = frozenset({"_kept_key"})


def _compiled(query, using: str):
    """The compiler, SQL and parameters of ``query`` on ``using``, built once
    for every query equal to it (the events' page took 2.7 ms to compile,
    pickling its query 0.15). Keyed by the whole query as pickled (its
    tables, joins, conditions with their values, columns, annotations,
    order, slice), the database and the time zone (a date lookup's bounds
    are worked out in it when compiled): a query that differs in anything
    is another key. None where the query cannot be pickled or compiles to
    nothing (Django's own path then)."""
    connection = connections[using]
    try:
        state = {k: v for k, v in query.__dict__.items() if k not in _NOT_QUERY}
        key = (
            pickle.dumps((type(query), state), protocol=pickle.HIGHEST_PROTOCOL),
            using,
            connection.vendor,
            timezone.get_current_timezone_name(),
        )
    except Exception:  # a value that cannot be pickled: built each time
        return None
    found = _statements.get(key)
    if found is None:
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        if len(_statements) >= _MAX_STATEMENTS:
            _statements.clear()
        found = _statements[key] = (compiler, sql, tuple(params))
    return found


_changelists: dict[type, type] = {}


def _unfiltered(request, queryset):
    return queryset


class _RowsOnDemandChangeList:
    def get_filters(self, request):
        """Django's, where a field's filter with nothing chosen gives the
        queryset back as it is: Django filters it by an empty condition,
        which copies the whole query (each of the events' five filters
        copied the query with its seat sums and three joins)."""
        found = super().get_filters(request)
        for spec in found[0]:
            if (
                isinstance(spec, admin.FieldListFilter)
                and type(spec).queryset is admin.FieldListFilter.queryset
                and not spec.used_parameters
            ):
                spec.queryset = _unfiltered
        return found

    def get_results(self, request):
        super().get_results(request)
        if not self.list_editable:  # an editable list's formset takes a queryset
            columns = self.model_admin.list_columns
            if columns is not None and isinstance(self.result_list, models.QuerySet):
                self.result_list = self.result_list.only(*columns)
            self.result_list = _RowsOnDemand.of(self.result_list)


class LargeTableAdminMixin:
    # Fifty rows a page, where Django shows a hundred: a big table is found in
    # by its search, filters and dates, not paged through, and each row costs
    # its read, its key and its HTML however it is kept.
    list_per_page = 50
    show_full_result_count = False
    paginator = CachedCountPaginator
    #: The fields a change list's page of rows is read with (``QuerySet.only``,
    #: related rows' as ``relation__field``), where its cells show fewer than
    #: every column: each field ``list_display`` and the row's text read. A
    #: field left out would be read by a query for each row (the lists' query
    #: budgets show it). None: every column. Only the rows shown: the actions
    #: and an editable list get whole rows.
    list_columns: tuple[str, ...] | None = None

    def get_list_filter(self, request):
        return [_kept_filter(self.model, item) for item in super().get_list_filter(request)]

    def changelist_view(self, request, extra_context=None):
        """Django's; a GET reads the generations its keys are made with once
        (``_generations``). A POST (an action, an edited row) may write, and
        reads them as it needs them."""
        if request.method not in ("GET", "HEAD"):
            return super().changelist_view(request, extra_context)
        paths = tuple(
            item[0] if isinstance(item, tuple) else item for item in self.get_list_filter(request)
        )
        token = _read_once.set((_list_domains(self.model, paths), {}))
        try:
            return super().changelist_view(request, extra_context)
        finally:
            _read_once.reset(token)

    def get_changelist(self, request, **kwargs):
        """The admin's change list, its page of rows read on demand (``_RowsOnDemand``)."""
        base = super().get_changelist(request, **kwargs)
        found = _changelists.get(base)
        if found is None:
            found = _changelists[base] = type(
                f"RowsOnDemand{base.__name__}", (_RowsOnDemandChangeList, base), {}
            )
        return found

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.date_hierarchy:
            changelist.queryset = _with_dates_kept(changelist.queryset)
        return changelist

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """Django's checkbox of a row, the same HTML without a widget render."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


def _row_text(obj, depth: int = 0) -> str:
    """What a row is rendered from: its loaded values (annotations too), then
    those of the related rows read with it (``select_related``, prefetches)."""
    values = obj.__dict__
    text = repr([value for name, value in values.items() if name not in _NOT_VALUES])
    if depth < 3:
        for relation, related in values["_state"].fields_cache.items():
            text += f"|{relation}:" + ("" if related is None else _row_text(related, depth + 1))
        for relation, rows in values.get("_prefetched_objects_cache", {}).items():
            text += f"|{relation}:" + ",".join(_row_text(row, depth + 1) for row in rows)
    return text


_NOT_VALUES = frozenset({"_state", "_prefetched_objects_cache"})


def _list_shape(cl) -> str:
    """What of the list (not of the row) a row's HTML depends on."""
    admin_class = type(cl.model_admin)
    return repr(
        (
            f"{admin_class.__module__}.{admin_class.__qualname__}",
            tuple(cl.list_display),
            None if cl.list_display_links is None else tuple(cl.list_display_links),
            cl.preserved_filters,
            cl.is_popup,
            cl.to_field,
            timezone.get_current_timezone_name(),
            str(cl.model_admin.get_empty_value_display()),
        )
    )


def row_texts(cl) -> tuple[list[str], Sequence]:
    """What each row of ``cl``'s page is drawn from (``_row_text``, or the
    values read for a ``_RowsOnDemand`` page, with the list's shape), and the
    rows themselves."""
    shape = _list_shape(cl)
    found = cl.result_list
    if isinstance(found, _RowsOnDemand):
        # Keyed by the values read, before any model object is built.
        return [f"{shape}|rows|{row!r}" for row in found.rows()], found
    objects = list(found)
    return [f"{shape}|{_row_text(row)}" for row in objects], objects


def kept_results(cl, texts: tuple[list[str], Sequence] | None = None) -> list:
    """The rows of ``cl`` as Django's ``results(cl)`` renders them, each a
    ``ResultList`` of one item (the row's cells), kept under the digest of
    what it shows (``row_texts``) through ``parts.cached_parts``."""
    texts, objects = texts or row_texts(cl)
    keys = []
    keyed = {}
    for index, text in enumerate(texts):
        key = hashlib.sha256(text.encode()).hexdigest()[:40]
        keys.append(key)
        keyed[key] = index
    opts = cl.opts

    def render(keys: list) -> dict:
        return {
            key: mark_safe("".join(items_for_result(cl, objects[keyed[key]], None)))  # noqa: S308
            for key in keys
        }

    html = parts.cached_parts(
        f"admin-row:{opts.app_label}.{opts.model_name}",
        keyed,
        stamp=lambda key: (),
        render=render,
        seconds=ROW_SECONDS,
    )
    return [ResultList(None, [html[key]]) for key in keys]
