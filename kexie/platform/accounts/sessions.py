"""Django's database sessions, read together with their user (``SESSION_ENGINE``).

Every signed-in request reads its session row, then its user by the id the
session holds: two round trips to the database before the page starts. The
session's row (``accounts.Session``) keeps that id beside its data, written
with it on every save, so one statement reads both: the session by its key
and clock (``session_key = … AND expire_date > now``, the ORM query Django
runs) and, joined to it, the row of its user. The statement is built once per
database (``kexie.platform.lib.prepared``).

The user read with the session is handed to ``PhoneOrEmailBackend.get_user``
(``user_read_with_session``), which takes it only for the id the session's
data names and only once: the same row, read in the same statement instead
of the next one. Anything else (a session whose row names no user, a call
outside the request that read it) reads the user by its id as before.
Writing, deleting and every other method are Django's own.
"""

import threading
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS
from django.dispatch import receiver
from django.utils import timezone

from kexie.platform.lib.prepared import Prepared


@cache  # the user model's columns: read once, not on every signed-in request
def _user_attnames() -> tuple[str, ...]:
    return tuple(field.attname for field in get_user_model()._meta.concrete_fields)


# The model is asked for when the statement is first built, as Django's store
# asks for it (``get_model_class``), not when this module is imported. The
# user's columns come through a LEFT JOIN: all NULL when its row is gone.
_SESSION_AND_USER = Prepared(
    lambda session_key, now: (
        SessionStore.get_model_class()
        .objects.filter(session_key=session_key, expire_date__gt=now)
        .values_list("session_data", "user_id", *(f"user__{name}" for name in _user_attnames()))
    ),
    strings=("session_key",),
    datetimes=("now",),
)

_read = threading.local()
NOT_READ = object()


@dataclass(frozen=True)
class _Row:
    session_data: str


def user_read_with_session(pk):
    """The user (or None when their row is gone) read with the session this
    thread loaded last, if that session's row names the user ``pk``; taken
    once. ``NOT_READ`` otherwise: read the user by its id."""
    found = getattr(_read, "user", None)
    _read.user = None
    if found is None or found[0] != pk:
        return NOT_READ
    return found[1]


@receiver(request_started)
@receiver(request_finished)
def _forget_user(**kwargs) -> None:
    """Nothing read by one request is handed to the next."""
    _read.user = None


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from kexie.platform.accounts.models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        try:
            instance.user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:  # not an id: no user beside the data
            instance.user_id = None
        return instance

    def _get_session_from_db(self):
        _read.user = None
        session_key = self.session_key
        if session_key is None:
            self._session_key = None
            return None
        row = _SESSION_AND_USER.values(session_key=session_key, now=timezone.now())
        if row is None:
            self._session_key = None
            return None
        session_data, user_id, *user = row
        if user_id is not None:
            _read.user = (user_id, self._user(user))
        return _Row(session_data=session_data)

    def _user(self, values: list):
        """The user's instance from the joined columns, or None when its row
        is gone: a column its table never holds NULL in came back NULL (the
        id itself is read from the session's row)."""
        names = _user_attnames()
        if values[_present_column()] is None:
            return None
        return get_user_model().from_db(DEFAULT_DB_ALIAS, names, values)


@cache
def _present_column() -> int:
    """The position among the user's columns of the first one, after the id,
    that is never NULL in its table (the password's)."""
    fields = get_user_model()._meta.concrete_fields
    return next(i for i, field in enumerate(fields) if not field.primary_key and not field.null)
