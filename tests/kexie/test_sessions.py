"""A signed-in request reads its session and its user in one statement built
once (kexie.platform.accounts.sessions, PhoneOrEmailBackend.get_user): the
same rows Django's own reads give, in one query instead of two."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kexie.platform.accounts import sessions
from kexie.platform.accounts.backends import PhoneOrEmailBackend
from kexie.platform.accounts.models import Session
from kexie.platform.accounts.sessions import SessionStore
from kexie.platform.lib.server_statements import statement_sql

pytestmark = pytest.mark.django_db


def _stored(**data) -> str:
    session = SessionStore()
    session.update(data)
    session.create()
    return session.session_key


def test_a_session_is_read_back_with_one_query():
    key = _stored(colour="蓝", number=7)
    with CaptureQueriesContext(connection) as queries:
        found = SessionStore(key)
        assert found["colour"] == "蓝"
        assert found["number"] == 7
    assert len(queries) == 1
    assert found.session_key == key


def test_an_expired_session_is_empty_and_gets_a_new_key():
    key = _stored(colour="蓝")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    found = SessionStore(key)
    assert found.load() == {}
    assert found.session_key is None


def test_a_session_expires_by_the_clock_of_the_request():
    key = _stored(colour="蓝")
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later, tick=False):
        assert SessionStore(key).load() == {}
    assert SessionStore(key).load() == {"colour": "蓝"}


def test_an_unknown_or_malformed_key_reads_nothing():
    for key in ("x" * 32, "短", "a" * 100, "' OR 1=1 --"):
        found = SessionStore(key)
        assert found.load() == {}
        assert found.session_key is None


def test_a_signed_in_page_reads_its_user(staff_user):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/staff/").status_code == 200
    client.logout()
    assert client.get("/staff/").status_code == 302


def test_the_user_read_by_id_is_the_orms_and_an_inactive_one_is_none(staff_user):
    backend = PhoneOrEmailBackend()
    found = backend.get_user(staff_user.pk)
    assert found == staff_user
    assert (found.email, found.is_staff, found._state.adding) == (
        staff_user.email,
        True,
        False,
    )
    assert backend.get_user(str(staff_user.pk)) == staff_user
    assert backend.get_user(staff_user.pk + 10_000) is None
    assert backend.get_user("nonsense") is None
    assert backend.get_user(2**70) is None
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    assert backend.get_user(staff_user.pk) is None


def test_the_session_store_reads_through_prepared():
    assert isinstance(sessions._SESSION_AND_USER, sessions.Prepared)
    key = _stored(colour="蓝")
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(key).load() == {"colour": "蓝"}
        assert SessionStore(key).load() == {"colour": "蓝"}
    # The same statement each time, with the request's key and clock.
    first, second = (statement_sql(query["sql"]) for query in queries)
    assert first.split("WHERE")[0] == second.split("WHERE")[0]
    assert key in queries[0]["sql"] and key in queries[1]["sql"]


# The user's own read by its id (PhoneOrEmailBackend.get_user).
_USER_BY_ID = 'FROM "accounts_user" WHERE "accounts_user"."id" ='


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_page_reads_its_session_and_its_user_in_one_query(staff_user):
    client = _signed_in(staff_user)
    client.get("/staff/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").context["user"] == staff_user
    sql = [statement_sql(q["sql"]) for q in queries]
    reads = [q for q in sql if "accounts_session" in q]
    assert len(reads) == 1
    assert 'LEFT OUTER JOIN "accounts_user"' in reads[0]
    assert not [q for q in sql if _USER_BY_ID in q]


def test_the_session_row_keeps_its_users_id_and_a_log_out_removes_it(staff_user):
    client = _signed_in(staff_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == staff_user.pk
    client.logout()
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.get(session_key=_stored(colour="蓝")).user_id is None


def test_the_user_read_with_the_session_is_as_the_database_holds_it_now(staff_user):
    client = _signed_in(staff_user)
    assert client.get("/staff/").status_code == 200
    staff_user.name = "新名字"
    staff_user.save(update_fields=["name"])
    assert client.get("/staff/").context["user"].name == "新名字"
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    assert client.get("/staff/").status_code == 302


def test_a_changed_password_signs_the_session_out(staff_user):
    client = _signed_in(staff_user)
    staff_user.set_password("另一个很长的密码-2026")
    staff_user.save(update_fields=["password"])
    assert client.get("/staff/").status_code == 302


def test_a_deleted_user_signs_nobody_in(db):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, is_superuser=True)
    client = _signed_in(user)
    assert client.get("/staff/").status_code == 200
    user.delete()
    assert client.get("/staff/").status_code == 302


def test_a_session_row_without_its_users_id_reads_the_user_by_id(staff_user):
    """A row copied from Django's table whose data could not be read, or
    written otherwise: the user is read by the id in the data, as before."""
    client = _signed_in(staff_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(user=None)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").context["user"] == staff_user
    sql = [statement_sql(q["sql"]) for q in queries]
    assert len([q for q in sql if "accounts_session" in q]) == 1
    assert len([q for q in sql if _USER_BY_ID in q]) == 1


def test_the_user_read_with_a_session_is_handed_over_once_and_for_its_id_only(staff_user):
    client = _signed_in(staff_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()
    assert sessions.user_read_with_session(staff_user.pk + 1) is sessions.NOT_READ
    assert SessionStore(key).load()
    assert sessions.user_read_with_session(staff_user.pk) == staff_user
    assert sessions.user_read_with_session(staff_user.pk) is sessions.NOT_READ
    # A request's end forgets what it read.
    assert SessionStore(key).load()
    client.get("/healthz")
    assert sessions.user_read_with_session(staff_user.pk) is sessions.NOT_READ


def test_the_backend_reads_the_user_as_it_is_after_a_session_was_loaded(staff_user):
    client = _signed_in(staff_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    # Loaded before the change: the next load (every request's) reads it again.
    assert SessionStore(key).load()
    assert PhoneOrEmailBackend().get_user(staff_user.pk) is None


def test_djangos_sessions_are_copied_with_their_users_id(staff_user):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.contrib.sessions.models import Session as DjangoSession

    signed_in = DjangoStore()
    signed_in.update({"_auth_user_id": str(staff_user.pk), "colour": "蓝"})
    signed_in.create()
    anonymous = DjangoStore()
    anonymous.update({"colour": "红"})
    anonymous.create()
    DjangoSession.objects.create(
        session_key="x" * 32, session_data="garbage", expire_date=timezone.now()
    )
    migration = import_module(
        "kexie.platform.accounts.migrations.0006_session_copy_django_sessions"
    )
    migration.copy_sessions(apps, None)
    copied = {s.session_key: s for s in Session.objects.all()}
    assert copied[signed_in.session_key].user_id == staff_user.pk
    assert copied[anonymous.session_key].user_id is None
    assert copied["x" * 32].user_id is None
    assert SessionStore(signed_in.session_key).load()["colour"] == "蓝"
    assert PhoneOrEmailBackend().get_user(staff_user.pk) == staff_user
