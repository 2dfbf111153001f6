"""The ids of a list of coming events (the event list, filtered or not, and
the home page's next events), kept in the process while nothing they are
drawn from has changed.

Such a list is the public events ending at ``now`` or later, in order of
their start, with filters that do not move with the clock. Reading its first
thousand ids (the page and the capped count) was the list's one query, and
PostgreSQL answers it with a scan of the table. It changes only when

- an event, venue or audience is written (the ``outreach`` generation) or a
  town (``members``: a town filter is valid or not): kept under both
  generations, read before the list, so never older than them (as
  ``parts.cached_value``);
- the clock passes an event's end: the rows are kept with their end, and the
  list at a later moment is exactly the kept rows still ending at or after
  it, while they are enough (the rows were all there were, or at least as
  many are left as asked for); else they are read again. A filter by period
  moves with the date, so the date is part of every key.

Inside a transaction, or with the cache down, the list is read every time.
At most ``SIZE`` lists are kept, the least recently used dropped first.
"""

import logging
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from kexie.platform.lib import pagecache

log = logging.getLogger(__name__)

#: Lists kept per process (a few kilobytes each).
SIZE = 128
#: Rows read beyond those asked for, so that events ending later leave enough.
SLACK = 200

DOMAINS = ("outreach", "members")

# key → (generations, moment read, all rows?, ids, ends as timestamps, earliest end)
_kept: OrderedDict[Hashable, tuple] = OrderedDict()


def stamp(read: dict | None = None) -> tuple | None:
    """The generations the kept lists are drawn from, now; None inside a
    transaction (rows not yet committed may be read) or with the cache down:
    nothing is kept then. Read once per request, before any list (the filter
    chips and form kept per query are under it too, ``cards.list_filters``),
    or taken from the generations ``read`` already for the page (the home
    page's, ``home_blocks.collect``)."""
    if connection.in_atomic_block:
        return None
    if read is not None and all(domain in read for domain in DOMAINS):
        return tuple(read[domain] for domain in DOMAINS)
    try:
        return pagecache.generations(DOMAINS)
    except Exception:
        log.warning("upcoming: cache unavailable", exc_info=True)
        return None


def first_ids(
    build: Callable[[], QuerySet],
    limit: int,
    *,
    key: Hashable,
    now: datetime,
    stamp: tuple | None,
) -> list[int]:
    """The ids of the first ``limit`` rows of ``build()``, a list of coming
    events ordered by start made at ``now`` (events ending then or later, and
    filters that move with the date at most); ``key`` names the list, ``stamp``
    is ``stamp()`` read before ``now``."""
    if stamp is None:
        return _ids(build(), limit)
    key = (key, timezone.localdate(now))
    moment = now.timestamp()
    found = _kept.get(key)
    if found is not None and found[0] == stamp and found[1] <= moment:
        _stamp, _read, complete, ids, ends, earliest = found
        if earliest >= moment:
            left = ids
        else:
            left = [pk for pk, end in zip(ids, ends, strict=True) if end >= moment]
        if complete or len(left) >= limit:
            _kept.move_to_end(key)
            return list(left[:limit])
    rows = _rows(build(), limit + SLACK)
    ids = array("q", (row[0] for row in rows))
    ends = array("d", (row[1].timestamp() for row in rows))
    _kept[key] = (stamp, moment, len(rows) < limit + SLACK, ids, ends, min(ends, default=0.0))
    _kept.move_to_end(key)
    while len(_kept) > SIZE:
        _kept.popitem(last=False)
    return list(ids[:limit])


def _rows(queryset: QuerySet, limit: int) -> list[tuple]:
    """The first ``limit`` (id, end) rows (only when the kept ones do not
    serve: converted by Django, an end is a datetime on every database)."""
    return list(queryset.values_list("pk", "ends_at")[:limit])


def _ids(queryset: QuerySet, limit: int) -> list[int]:
    """The first ``limit`` ids, read as plain rows: for the thousand ids a list
    counts, Django's iteration row by row cost more than the query."""
    query = queryset.values_list("pk")[:limit].query
    return [row[0] for rows in query.get_compiler(queryset.db).execute_sql(MULTI) for row in rows]


def forget() -> None:
    """Drop every kept list (tests)."""
    _kept.clear()
