"""Telling "the database cannot be reached" from other database errors.

A stopped, restarting or unreachable database raises ``OperationalError`` or
``InterfaceError`` wherever the first query of a request happens (the session,
the lock-out, the view). Those are answered with a 503 and ``Retry-After``
(``kexie.views.server_error``) rather than the 500 page: nothing is wrong with
the request, and it will work again without a restart (connections are
health-checked, ``CONN_MAX_AGE``). A deadlock or a constraint is another story
and stays a 500.
"""

from django.db import InterfaceError, OperationalError

# SQLSTATE class 08 (connection exception) and the server shutting down or
# starting up (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03")

#: Seconds a visitor (or a client) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exc: BaseException | None) -> bool:
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if isinstance(exc, InterfaceError):
        # "connection already closed": the server went away under a kept connection.
        return True
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if code is None:
        # psycopg raises connection failures without a SQLSTATE; so does
        # SQLite for a database file it cannot open.
        return "unable to open database" in str(exc) or _is_psycopg(cause)
    return code.startswith(_UNAVAILABLE_STATES)


def _is_psycopg(cause) -> bool:
    return type(cause).__module__.split(".")[0] in ("psycopg2", "psycopg")
