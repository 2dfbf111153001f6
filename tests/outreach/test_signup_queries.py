"""The sign-up POST, the request of a sign-up storm, makes a fixed, small
number of queries (bench/storm.py measures its rate; README, issue 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kexie.platform.lib.server_statements import statement_sql
from kexie.platform.outbox import services as outbox
from kexie.platform.outbox.models import Notification
from outreach.models import Registration
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def drains(monkeypatch):
    """The drains asked for; none runs, so only the sign-up's queries are seen."""
    asked = []
    monkeypatch.setattr(
        outbox,
        "_drain_task",
        lambda channel: type("T", (), {"apply_async": lambda *a, **k: asked.append(channel)}),
    )
    return asked


def _post(client, event, n: int):
    return client.post(
        event.get_absolute_url(),
        {"name": f"家长{n}", "phone": f"1390000{n:04d}", "party_size": 1},
        REMOTE_ADDR=f"203.0.113.{n}",
    )


def _sent(captured) -> list[str]:
    """The statements' SQL (a prepared statement's own, not its ``EXECUTE``)."""
    return [statement_sql(query["sql"]) for query in captured]


def _inserts(sql: str) -> list[str]:
    """The tables a statement inserts into, in order."""
    return [part.split('"')[1] for part in sql.split("INSERT INTO ")[1:]]


def _after_the_read(sent: list[str], tables: list[str]) -> list[str]:
    """The statements after the event's read: on PostgreSQL the lock, the
    check and the inserts are one statement (``prepared.guarded``), between
    the BEGIN and COMMIT Django logs; elsewhere the lock, then one insert
    each."""
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in sent[-2]
        assert _inserts(sent[-2]) == tables
        return ["BEGIN", "WITH", "COMMIT"]
    assert [_inserts(sql)[0] for sql in sent[-1 - len(tables) : -1]] == tables
    return ["BEGIN", "SELECT", *["INSERT"] * len(tables), "COMMIT"]


@pytest.fixture
def round_trips(monkeypatch):
    """What psycopg2 sends to PostgreSQL, in order: each statement (its first
    word), the BEGIN it sends before a statement when no transaction is open
    and the connection is not in autocommit, and the COMMIT it sends only
    for a transaction it began (Django logs BEGIN and COMMIT either way)."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg2's round trips")
    from psycopg2.extensions import STATUS_BEGIN, STATUS_READY

    sent = []

    def statement(execute, sql, params, many, context):
        raw = connection.connection
        if raw.status == STATUS_READY and not raw.autocommit:
            sent.append("BEGIN")
        sent.append(statement_sql(sql).split(" ")[0])
        return execute(sql, params, many, context)

    commit = connection._commit

    def committing():
        if connection.connection.status == STATUS_BEGIN:
            sent.append("COMMIT")
        return commit()

    monkeypatch.setattr(connection, "_commit", committing)
    with connection.execute_wrapper(statement):
        yield sent


@pytest.mark.parametrize("seats", [1, 50])
def test_a_sign_up_makes_two_statements_and_asks_for_one_drain(client, drains, seats):
    event = EventFactory(capacity=seats, max_party_size=1)
    _post(client, event, 0)  # with one seat, the next sign-up is waitlisted
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, event, 1)
    assert response.status_code == 302
    sent = _sent(captured.captured_queries)
    statements = [sql.split(" ")[0] for sql in sent]
    assert statements == [
        # The event's row; on PostgreSQL the new sign-up's id with it.
        "SELECT",
        # The event's deciding columns and seats held, FOR UPDATE: the lock;
        # on PostgreSQL checked against the row read, with the inserts.
        *_after_the_read(
            sent,
            [
                "outreach_registration",  # the sign-up (the trigger moves the seats held)
                "outreach_historicalregistration",  # its history row
                "outbox_notification",  # its receipt
                "privacy_consent",  # the consent to the notice
            ],
        ),
    ]
    if connection.features.has_select_for_update:  # SQLite locks the whole file instead
        assert "nextval" in sent[0]
    assert Registration.objects.filter(event=event).count() == 2
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() == 2
    # The first sign-up asked for a drain; none ran, so the second found it asked.
    assert drains == ["sms"]


@pytest.mark.parametrize("seats", [1, 50])
def test_a_sign_up_is_two_round_trips_to_postgresql(client, drains, seats, round_trips):
    event = EventFactory(capacity=seats, max_party_size=1)
    _post(client, event, 0)
    round_trips.clear()
    response = _post(client, event, 1)
    assert response.status_code == 302
    # The event's row (autocommit), then the lock, the check and the inserts
    # as a transaction of their own: no BEGIN, no COMMIT.
    assert round_trips == ["SELECT", "WITH"]
    expected = Registration.Status.CONFIRMED if seats == 50 else Registration.Status.WAITLISTED
    assert Registration.objects.get(event=event, phone="13900000001").status == expected


def test_a_sign_up_with_an_email_reads_the_venue_once_for_its_mail(client, drains):
    event = EventFactory(capacity=50, max_party_size=1)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            event.get_absolute_url(),
            {"name": "家长", "phone": "13900000001", "party_size": 1, "email": "a@example.cn"},
        )
    assert response.status_code == 302
    sent = _sent(captured.captured_queries)
    statements = [sql.split(" ")[0] for sql in sent]
    assert statements == [
        "SELECT",  # the event's row
        "SELECT",  # its venue, for the mail
        *_after_the_read(
            sent,
            [
                "outreach_registration",  # the sign-up
                "outreach_historicalregistration",  # its history row
                "outbox_notification",  # its text message
                "outbox_notification",  # its mail
                "privacy_consent",  # the consent
            ],
        ),
    ]
    assert '"outreach_venue"' in sent[1]
    assert sorted(drains) == ["email", "sms"]
