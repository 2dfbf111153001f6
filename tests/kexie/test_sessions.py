"""A signed-in request reads its session and its user with statements built
once (kexie.platform.accounts.sessions, PhoneOrEmailBackend.get_user): the
same rows Django's own reads give, one query each."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kexie.platform.accounts.backends import PhoneOrEmailBackend
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
    from kexie.platform.accounts import sessions

    assert isinstance(sessions._SESSION_DATA, sessions.Prepared)
    key = _stored(colour="蓝")
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(key).load() == {"colour": "蓝"}
        assert SessionStore(key).load() == {"colour": "蓝"}
    # The same statement each time, with the request's key and clock.
    first, second = (statement_sql(query["sql"]) for query in queries)
    assert first.split("WHERE")[0] == second.split("WHERE")[0]
    assert key in queries[0]["sql"] and key in queries[1]["sql"]
