"""Redis commands run when the transaction commits, all of a transaction's in
one round trip (issue 15: a sign-up's page-cache bump and its outbox wake were
two).

``redis_on_commit(commands, finish)`` is ``transaction.on_commit`` for work
made of Redis commands: ``commands(pipe)`` queues them (``pipe.set``,
``pipe.eval``: ``redis_trip.Commands``, sent by ``redis_trip.round_trip``),
``finish(results)`` gets their results (an exception in place of a command's
result when it failed, or for every command when Redis could not be reached).
Each call is registered with Django's ``on_commit``, so a savepoint rolled
back drops it as it drops any hook, and a rolled-back transaction runs none;
the calls that remain at the commit are sent together by one last hook. Outside
a transaction the call runs at once, alone.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction

from kexie.platform.lib import redis_trip

log = logging.getLogger(__name__)

Commands = Callable[[object], None]
Finish = Callable[[list], None]


@dataclass
class _Batch:
    # The calls whose own hook ran: the commit kept them.
    kept: list[tuple[Commands, Finish]] = field(default_factory=list)
    # This batch's last hook, as it stands in the connection's list.
    entry: tuple | None = None


def redis_client():
    """The default cache's Redis client, or None when the cache is not Redis."""
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(None, write=True)


def run_now(calls: list[tuple[Commands, Finish]]) -> None:
    """Send the calls' commands in one round trip, then give each its results."""
    pipe = redis_trip.Commands()
    sizes = []
    for commands, _finish in calls:
        before = len(pipe)
        commands(pipe)
        sizes.append(len(pipe) - before)
    try:
        results = redis_trip.round_trip(redis_client(), pipe.stack)
    except Exception as exc:
        # Redis not reached: every command failed alike.
        results = [exc] * sum(sizes)
    at = 0
    for (_commands, finish), size in zip(calls, sizes, strict=True):
        try:
            finish(results[at : at + size])
        except Exception:
            log.warning("after commit: %r failed", finish, exc_info=True)
        at += size


def redis_on_commit(commands: Commands, finish: Finish, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run ``commands``, then ``finish`` with their results, when the current
    transaction commits (at once outside one), in the transaction's one Redis
    round trip. Only for the default cache's Redis (``redis_client()``)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        run_now([(commands, finish)])
        return
    batch = _current_batch(connection)
    call = (commands, finish)
    transaction.on_commit(lambda: batch.kept.append(call), using=using)
    # The batch's own hook goes last, after every call's, so that it sends
    # all the calls the commit kept. It is tied to no savepoint (a savepoint
    # rolled back drops the calls made in it, not the other calls).
    hooks = connection.run_on_commit
    if batch.entry is not None:
        hooks.remove(batch.entry)
    else:
        batch.entry = (set(), lambda: _send(connection, batch), False)
    hooks.append(batch.entry)


def _current_batch(connection) -> _Batch:
    batch = getattr(connection, "_kexie_redis_batch", None)
    # A batch whose hook is gone belongs to a transaction that ended (rolled back).
    # (A savepoint rolled back rebuilds the list: its entries are compared by value.)
    if batch is None or batch.entry not in connection.run_on_commit:
        batch = _Batch()
        connection._kexie_redis_batch = batch
    return batch


def _send(connection, batch: _Batch) -> None:
    if getattr(connection, "_kexie_redis_batch", None) is batch:
        connection._kexie_redis_batch = None
    if batch.kept:
        run_now(batch.kept)
