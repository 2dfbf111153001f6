"""Django's database sessions, read with SQL built once (``SESSION_ENGINE``).

Every signed-in request reads its session row first. Django builds that
``SELECT`` with its compiler on each request, which costs more of the
worker's time than the database takes to find the row by its key. Here the
statement is built once per database, by the same ORM query Django runs
(``session_key = … AND expire_date > now``), and run with each request's key
and clock: the same row, the same expiry, the same decoding. Writing, deleting
and every other method are Django's own.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

# Stand-ins for the arguments while the statement is built, found again among
# its parameters.
_KEY_MARK = "\x00kexie-session-key\x00"
_NOW_MARK = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)
_KEY, _NOW = object(), object()


@dataclass(frozen=True)
class _Built:
    sql: str
    # Each parameter: ``_KEY``, ``_NOW``, or the constant itself.
    params: tuple


@dataclass(frozen=True)
class _Row:
    session_data: str


_built: dict[tuple[str, str], _Built] = {}


def _statement(model, connection) -> _Built:
    key = (connection.alias, connection.vendor)
    found = _built.get(key)
    if found is None:
        queryset = model.objects.filter(session_key=_KEY_MARK, expire_date__gt=_NOW_MARK)
        compiler = queryset.values_list("session_data").query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        now_value = model._meta.get_field("expire_date").get_db_prep_value(
            _NOW_MARK, connection, prepared=False
        )
        kinds = tuple(
            _KEY if param == _KEY_MARK else _NOW if param == now_value else param
            for param in params
        )
        if sum(1 for k in kinds if k is _KEY or k is _NOW) != 2:
            raise AssertionError(f"the session's statement lost an argument: {sql}")
        found = _built[key] = _Built(sql=sql, params=kinds)
    return found


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session_key = self.session_key
        if session_key is None:
            self._session_key = None
            return None
        connection = connections[router.db_for_read(self.model)]
        built = _statement(self.model, connection)
        now = self.model._meta.get_field("expire_date").get_db_prep_value(
            timezone.now(), connection, prepared=False
        )
        params = [
            session_key if kind is _KEY else now if kind is _NOW else kind for kind in built.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(built.sql, params)
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return _Row(session_data=row[0])
