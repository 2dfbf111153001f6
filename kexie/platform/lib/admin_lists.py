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
  kept the same way;
- the row's selection checkbox written as HTML (Django renders a form widget
  through the template engine for each of 100 rows: a fifth of the page).
"""

import hashlib
import logging

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kexie.platform.lib import pagecache

log = logging.getLogger(__name__)

#: How long a change list's count is kept.
COUNT_SECONDS = 60


def _count_key(queryset) -> str | None:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    domain = pagecache.DOMAINS.get(queryset.model._meta.app_label)
    generation = pagecache.generations([domain])[0] if domain else ""
    text = f"{queryset.db}|{sql}|{params!r}|{generation}"
    return "admin:count:" + hashlib.sha256(text.encode()).hexdigest()


def _kept(queryset, what: str, compute):
    """``compute()``, kept for ``COUNT_SECONDS`` under the query and ``what``."""
    if connection.in_atomic_block:
        return compute()
    try:
        key = _count_key(queryset)
        key = key and f"{key}:{hashlib.sha256(what.encode()).hexdigest()[:16]}"
        found = cache.get(key) if key else None
    except Exception:
        log.warning("admin lists: cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    if key:
        try:
            cache.set(key, value, COUNT_SECONDS)
        except Exception:
            log.warning("admin lists: could not store", exc_info=True)
    return value


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
        queryset = queryset._chain()
        queryset.__class__ = type(f"DatesKept{kinds.__name__}", (_DatesKept, kinds), {})
    return queryset


class CachedCountPaginator(Paginator):
    """A paginator whose count is kept for ``COUNT_SECONDS`` per query."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        return _kept(queryset, "count", lambda: super(CachedCountPaginator, self).count)


class LargeTableAdminMixin:
    show_full_result_count = False
    paginator = CachedCountPaginator

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
