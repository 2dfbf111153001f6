"""PostgreSQL prepared statements for the SQL ``kexie.platform.lib.prepared``
builds once (issue 15: the sign-up storm).

Each statement Django sends is parsed, analysed and planned by PostgreSQL
every time: about 0.1 ms of the server's CPU for the sign-up's locking read,
more for its four inserts in one ``WITH``. A statement run here is prepared
once per database connection (``PREPARE``, in the same round trip as its
first ``EXECUTE``), then only executed with the call's values, which the
driver quotes as it quotes any parameter. The rows, errors and round trips
are those of the plain statement; the query log shows ``EXECUTE kexie_N(…)``
(``statement_sql`` gives back the SQL).

A prepared statement outlives a rolled-back transaction, and is gone with
its connection: each connection keeps its own names, and a statement whose
first round trip failed (its ``PREPARE`` may or may not have been made) is
prepared again under a new name. Elsewhere than PostgreSQL, or for a
statement without parameters, the SQL is sent as it is.
"""

import re

from django.db import DEFAULT_DB_ALIAS, connections

# A parameter's placeholder, or a literal percent sign, in Django's SQL.
_PLACEHOLDER = re.compile(r"%[s%]")

# Statements one connection prepares at most (each holds a plan on the
# server); a connection's failed first round trips at most, before it
# sends its statements plain.
_MOST_PER_CONNECTION = 200
_MOST_FAILURES = 20


class _Names:
    """One database connection's prepared statements."""

    def __init__(self, raw):
        self.raw = raw
        self.by_sql: dict[str, str] = {}
        self.sql_of: dict[str, str] = {}
        self.made = 0
        self.failures = 0


def _names(connection) -> _Names:
    names = getattr(connection, "_kexie_statements", None)
    raw = connection.connection
    if names is None or names.raw is not raw:
        # A new connection (or the first): it has no statement prepared.
        names = connection._kexie_statements = _Names(raw)
    return names


def _numbered(sql: str) -> str:
    """``%s`` placeholders as ``$1``, ``$2``…; ``%%`` kept for the driver."""
    count = 0

    def number(match):
        nonlocal count
        if match.group() == "%%":
            return "%%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def execute(connection, cursor, sql: str, params) -> None:
    """``cursor.execute(sql, params)``; on PostgreSQL as a prepared statement."""
    if connection.vendor != "postgresql" or not params:
        cursor.execute(sql, params)
        return
    names = _names(connection)
    name = names.by_sql.get(sql)
    placeholders = ", ".join(["%s"] * len(params))
    if name is not None:
        try:
            cursor.execute(f"EXECUTE {name}({placeholders})", params)
        except Exception as exc:
            if _plan_outdated(exc):
                # A column it reads changed type (a migration): prepared
                # anew, under a new name, the next time.
                del names.by_sql[sql]
            raise
        return
    if len(names.by_sql) >= _MOST_PER_CONNECTION or names.failures >= _MOST_FAILURES:
        cursor.execute(sql, params)
        return
    names.made += 1
    name = f"kexie_{names.made}"
    try:
        cursor.execute(
            f"PREPARE {name} AS {_numbered(sql)}; EXECUTE {name}({placeholders})", params
        )
    except BaseException:
        # Prepared or not, the name is not used again on this connection.
        names.failures += 1
        raise
    names.by_sql[sql] = name
    names.sql_of[name] = sql


def execute_together(connection, cursor, statements) -> None:
    """Several statements in one round trip (PostgreSQL's simple query
    protocol): each item is SQL without parameters (``"COMMIT"``) or
    ``(sql, params)``, run as a prepared statement as ``execute`` runs it.
    The statements run one after the other; an error stops those after it
    (inside ``BEGIN`` … ``COMMIT`` the transaction is then aborted). The
    cursor holds the last statement's result."""
    names = _names(connection)
    texts: list[str] = []
    values: list = []
    made: dict[str, str] = {}
    used: list[str] = []
    # SQL given without parameters: its percent signs are the driver's to
    # keep when it puts in the parameters of the others.
    plain: list[int] = []
    for item in statements:
        if isinstance(item, str):
            texts.append(item)
            plain.append(len(texts) - 1)
            continue
        sql, params = item
        name = names.by_sql.get(sql) or made.get(sql)
        if name is None and (
            not params
            or len(names.by_sql) + len(made) >= _MOST_PER_CONNECTION
            or names.failures >= _MOST_FAILURES
        ):
            texts.append(sql)
            values += params
            continue
        if name is None:
            names.made += 1
            name = made[sql] = f"kexie_{names.made}"
            texts.append(f"PREPARE {name} AS {_numbered(sql)}")
        elif sql in names.by_sql:
            used.append(sql)
        texts.append(f"EXECUTE {name}({', '.join(['%s'] * len(params))})")
        values += params
    if values:
        for i in plain:
            texts[i] = texts[i].replace("%", "%%")
    try:
        cursor.execute("; ".join(texts), values or None)
    except BaseException as exc:
        # Prepared or not, a name made here is not used again.
        names.failures += len(made)
        if isinstance(exc, Exception) and _plan_outdated(exc):
            for sql in used:
                names.by_sql.pop(sql, None)
        raise
    for sql, name in made.items():
        names.by_sql[sql] = name
        names.sql_of[name] = sql


def _plan_outdated(exc: Exception) -> bool:
    """PostgreSQL's "cached plan must not change result type"."""
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None) == "0A000"


_EXECUTE = re.compile(r"(?:PREPARE (kexie_\d+) AS .*; )?EXECUTE (kexie_\d+)\(", re.DOTALL)


def statement_sql(logged: str, *, using: str = DEFAULT_DB_ALIAS) -> str:
    """The SQL of a statement as the query log shows it: a prepared
    statement's own SQL (with ``%s`` for its values) for ``EXECUTE
    kexie_N(…)`` or its first round trip, any other statement as it is."""
    match = _EXECUTE.match(logged)
    if match is None:
        return logged
    names = getattr(connections[using], "_kexie_statements", None)
    sql = names.sql_of.get(match.group(2)) if names is not None else None
    if sql is None:
        if match.group(1):
            # The first round trip: its PREPARE holds the SQL.
            return logged[len(f"PREPARE {match.group(1)} AS ") : logged.rindex("; EXECUTE ")]
        return logged
    return sql
