"""On PostgreSQL the statements ``prepared`` builds once are prepared once per
connection, then only executed; the rows and errors are those of the plain
statement (kexie.platform.lib.server_statements)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kexie.platform.lib.prepared import Prepared, insert
from kexie.platform.lib.server_statements import execute_together, statement_sql
from outreach.models import Event, Registration
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = Prepared(lambda pk: Event.objects.filter(pk=pk).values_list("title").order_by())
ON_POSTGRESQL = connection.vendor == "postgresql"


def _logged(call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [query["sql"] for query in captured.captured_queries]


def _registration(event, phone: str) -> Registration:
    return Registration(event=event, name="家长", phone=phone, party_size=1, status="confirmed")


def test_a_statement_is_prepared_once_then_executed_with_each_calls_values():
    connection.close()  # a connection that has prepared nothing yet
    first, second = EventFactory(title="一"), EventFactory(title="二")
    sent = _logged(lambda: TITLE.value(pk=first.pk)) + _logged(lambda: TITLE.value(pk=second.pk))
    assert TITLE.value(pk=first.pk) == "一" and TITLE.value(pk=second.pk) == "二"
    if ON_POSTGRESQL:
        assert sent[0].startswith("PREPARE kexie_") and "; EXECUTE kexie_" in sent[0]
        assert sent[1].startswith("EXECUTE kexie_") and sent[1].endswith(f"({second.pk})")
        # The query log gives back the statement's own SQL either way.
        assert statement_sql(sent[0]) == statement_sql(sent[1])
    for sql in sent:
        assert statement_sql(sql).startswith('SELECT "outreach_event"."title"')


def test_a_new_connection_prepares_again():
    event = EventFactory(title="一")
    assert TITLE.value(pk=event.pk) == "一"
    connection.close()
    assert TITLE.value(pk=event.pk) == "一"


def test_a_statement_prepared_in_a_rolled_back_transaction_is_still_there():
    event = EventFactory(title="一")
    connection.close()
    with transaction.atomic():
        assert TITLE.value(pk=event.pk) == "一"
        transaction.set_rollback(True)
    assert TITLE.value(pk=event.pk) == "一"


def test_a_first_execution_that_fails_is_an_error_and_the_next_one_works():
    event = EventFactory(capacity=10)
    connection.close()
    insert(_registration(event, "13900000001"))
    duplicate = _registration(event, "13900000001")
    # Its first round trip on a new connection fails on the unique phone: the
    # statement may or may not have been prepared, and works the next time.
    connection.close()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(duplicate)
    again = insert(_registration(event, "13900000002"))
    assert Registration.objects.get(pk=again.pk).phone == "13900000002"
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(_registration(event, "13900000002"))
    assert Registration.objects.filter(event=event).count() == 2


def test_other_statements_are_logged_as_they_are():
    assert statement_sql('SELECT 1 FROM "x"') == 'SELECT 1 FROM "x"'
    assert statement_sql("EXECUTE kexie_999999(1)") == "EXECUTE kexie_999999(1)"


def test_a_statement_whose_columns_changed_type_is_prepared_anew_after_the_error():
    if not ON_POSTGRESQL:
        pytest.skip("prepared statements are PostgreSQL's")
    event = EventFactory(title="一")
    connection.close()
    assert TITLE.value(pk=event.pk) == "一"
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "outreach_event" ALTER COLUMN "title" TYPE text')
    try:
        with pytest.raises(Exception, match="cached plan must not change result type"):
            TITLE.value(pk=event.pk)
        assert TITLE.value(pk=event.pk) == "一"
    finally:
        with connection.cursor() as cursor:
            cursor.execute('ALTER TABLE "outreach_event" ALTER COLUMN "title" TYPE varchar(120)')


def _together(statements) -> tuple:
    with connection.cursor() as cursor:
        execute_together(connection, cursor, statements)
        return cursor.fetchone()


def test_statements_sent_together_are_prepared_once_and_run_in_order():
    if not ON_POSTGRESQL:
        pytest.skip("statements together are PostgreSQL's")
    first, second = EventFactory(title="一"), EventFactory(title="二")
    connection.close()
    rows = []
    title = TITLE.statement(pk=first.pk)
    sent = _logged(lambda: rows.append(_together(["BEGIN", title, "COMMIT", "SELECT 1"])))
    sent += _logged(lambda: rows.append(_together([TITLE.statement(pk=second.pk)])))
    assert rows == [(1,), ("二",)]
    assert len(sent) == 2
    assert sent[0].startswith("BEGIN; PREPARE kexie_") and sent[0].endswith("; COMMIT; SELECT 1")
    assert sent[1].startswith("EXECUTE kexie_") and sent[1].endswith(f"({second.pk})")
    # Prepared by the first round trip: a single use sends it as ``execute`` does.
    assert _logged(lambda: TITLE.value(pk=first.pk))[0].startswith("EXECUTE kexie_")


def test_an_error_stops_the_statements_after_it_and_a_name_it_made_is_not_used_again():
    if not ON_POSTGRESQL:
        pytest.skip("statements together are PostgreSQL's")
    event = EventFactory(title="一")
    connection.close()
    with pytest.raises(Exception, match="division by zero"):
        _together(["BEGIN", TITLE.statement(pk=event.pk), "SELECT 1 / 0", "COMMIT"])
    # The transaction is aborted, not committed: the statements after the
    # error did not run.
    assert connection.connection.info.transaction_status == 3  # in error
    with connection.cursor() as cursor:
        cursor.execute("ROLLBACK")
    rows = []
    sent = _logged(lambda: rows.append(_together([TITLE.statement(pk=event.pk)])))
    assert rows == [("一",)]
    assert sent[0].startswith("PREPARE kexie_2 AS ")
