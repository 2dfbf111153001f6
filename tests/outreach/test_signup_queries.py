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


def _after_the_lock(sent: list[str], tables: list[str]) -> list[str]:
    """The statements from the lock on: on PostgreSQL the inserts are one
    statement (``prepared.together``), elsewhere one each."""
    if connection.vendor == "postgresql":
        assert _inserts(sent[3]) == tables
        return ["WITH", "COMMIT"]
    assert [_inserts(sql)[0] for sql in sent[3:-1]] == tables
    return ["INSERT"] * len(tables) + ["COMMIT"]


@pytest.mark.parametrize("seats", [1, 50])
def test_a_sign_up_makes_five_statements_and_asks_for_one_drain(client, drains, seats):
    event = EventFactory(capacity=seats, max_party_size=1)
    _post(client, event, 0)  # with one seat, the next sign-up is waitlisted
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, event, 1)
    assert response.status_code == 302
    sent = _sent(captured.captured_queries)
    statements = [sql.split(" ")[0] for sql in sent]
    assert statements == [
        "SELECT",  # the event's row
        "BEGIN",
        # The event's deciding columns and seats held, FOR UPDATE: the lock;
        # on PostgreSQL the new sign-up's id with it.
        "SELECT",
        *_after_the_lock(
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
        assert "FOR UPDATE" in sent[2]
        assert "nextval" in sent[2]
    assert Registration.objects.filter(event=event).count() == 2
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() == 2
    # The first sign-up asked for a drain; none ran, so the second found it asked.
    assert drains == ["sms"]


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
    assert (
        statements
        == [
            "SELECT",  # the event's row
            "SELECT",  # its venue, for the mail (both wordings)
            "BEGIN",
            "SELECT",  # the lock, with the seats held
            *_after_the_lock(
                sent[1:],
                [
                    "outreach_registration",  # the sign-up
                    "outreach_historicalregistration",  # its history row
                    "outbox_notification",  # its text message
                    "outbox_notification",  # its mail
                    "privacy_consent",  # the consent
                ],
            ),
        ]
    )
    assert '"outreach_venue"' in sent[1]
    assert sorted(drains) == ["email", "sms"]
