"""Django's database sessions, read with SQL built once (``SESSION_ENGINE``).

Every signed-in request reads its session row first. Django builds that
``SELECT`` with its compiler on each request, which costs more of the
worker's time than the database takes to find the row by its key. Here the
statement is built once per database (``kexie.platform.lib.prepared``), by the
same ORM query Django runs (``session_key = … AND expire_date > now``), and run
with each request's key and clock: the same row, the same expiry, the same
decoding. Writing, deleting and every other method are Django's own.
"""

from dataclasses import dataclass

from django.contrib.sessions.backends import db
from django.utils import timezone

from kexie.platform.lib.prepared import Prepared

# The model is asked for when the statement is first built, as Django's store
# asks for it (``get_model_class``), not when this module is imported.
_SESSION_DATA = Prepared(
    lambda session_key, now: (
        SessionStore.get_model_class()
        .objects.filter(session_key=session_key, expire_date__gt=now)
        .values_list("session_data")
    ),
    strings=("session_key",),
    datetimes=("now",),
)


@dataclass(frozen=True)
class _Row:
    session_data: str


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session_key = self.session_key
        if session_key is None:
            self._session_key = None
            return None
        data = _SESSION_DATA.value(session_key=session_key, now=timezone.now())
        if data is None:
            self._session_key = None
            return None
        return _Row(session_data=data)
