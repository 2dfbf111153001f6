"""Issue 18, finding 16: with the database down the visitor got the 500 page.
A database that cannot be reached is answered with 503 "维护中" and
``Retry-After``, whichever layer asked it first; other database errors stay
a 500. (The real thing, a PostgreSQL cluster stopped and started again under
gunicorn, is ``bench/db_down.py``.)
"""

from contextlib import contextmanager
from unittest import mock

import psycopg2
import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from kexie.platform.lib.dbstate import is_database_unavailable


class _Deadlock(Exception):
    pgcode = "40P01"


def _refused() -> OperationalError:
    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    error.__cause__ = psycopg2.OperationalError("Connection refused")
    return error


def _deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = _Deadlock("deadlock detected")
    return error


@contextmanager
def database_failing_with(error):
    def fail(*args, **kwargs):
        raise error

    with (
        mock.patch.object(CursorWrapper, "execute", fail),
        mock.patch.object(CursorWrapper, "executemany", fail),
    ):
        yield


@pytest.fixture
def visitor(settings):
    settings.PAGE_CACHE_SECONDS = 0
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/", "/events/", "/bang/", "/search/?q=机器人", "/orgs/"])
def test_database_down_answers_503_under_maintenance_with_retry_after(db, visitor, path):
    with database_failing_with(_refused()):
        response = visitor.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "维护中" in response.content.decode()


def test_database_down_for_a_signed_in_visitor_is_503_too(db, visitor, staff_user):
    visitor.force_login(staff_user)
    with database_failing_with(_refused()):
        response = visitor.get("/staff/reports/")
    assert response.status_code == 503


def test_database_down_makes_healthz_503_with_retry_after(db, visitor):
    with database_failing_with(_refused()):
        response = visitor.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["database"] == "unavailable"


def test_database_down_page_in_english_for_an_english_visitor(db, visitor, settings):
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with database_failing_with(_refused()):
        response = visitor.get("/events/")
    assert '<html lang="en">' in response.content.decode()


def test_other_database_errors_stay_a_500(db, visitor):
    with database_failing_with(_deadlock()):
        response = visitor.get("/events/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_only_connection_failures_count_as_the_database_being_unavailable():
    assert is_database_unavailable(_refused())
    assert not is_database_unavailable(_deadlock())
    assert not is_database_unavailable(ValueError("x"))
    assert not is_database_unavailable(None)
