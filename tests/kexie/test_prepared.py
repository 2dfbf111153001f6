"""A prepared query reads what its queryset reads, with its SQL built once
(kexie.platform.lib.prepared)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now as timezone_now
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from kexie.platform.lib.prepared import Prepared, insert, together
from kexie.platform.lib.server_statements import _numbered, statement_sql
from kexie.platform.outbox.models import Notification
from kexie.platform.privacy.models import Consent
from outreach.models import Event, Registration
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

FIELDS = ("title", "starts_at", "capacity", "venue", "signup_needs_code", "status")
ROW = Prepared(lambda pk: Event.objects.filter(pk=pk).only(*FIELDS).order_by())
PARTY = Prepared(
    lambda event_id: (
        Registration.objects.filter(event_id=event_id, status="confirmed")
        .values("event_id")
        .annotate(total=Sum("party_size"))
        .values_list("total")
        .order_by()
    )
)


def test_a_row_is_the_model_instance_the_queryset_gives():
    event = EventFactory(capacity=30)
    expected = Event.objects.filter(pk=event.pk).only(*FIELDS).get()
    found = ROW.first(pk=event.pk)
    assert isinstance(found, Event)
    assert found.get_deferred_fields() == expected.get_deferred_fields()
    for name in ("pk", "title", "starts_at", "capacity", "venue_id", "signup_needs_code"):
        assert getattr(found, name) == getattr(expected, name), name
    assert found.starts_at.tzinfo is not None
    assert (found._state.adding, found._state.db) == (False, "default")


def test_each_call_runs_with_its_own_argument_and_no_row_gives_none():
    first, second = EventFactory(), EventFactory()
    assert ROW.first(pk=first.pk).pk == first.pk
    assert ROW.first(pk=second.pk).pk == second.pk
    assert ROW.first(pk=second.pk + 1000) is None


@pytest.mark.parametrize("pk", [2**63, 2**70, -(2**63) - 1])
def test_an_id_no_column_can_hold_finds_no_row_without_asking_the_database(pk):
    EventFactory()
    with CaptureQueriesContext(connection) as captured:
        assert ROW.first(pk=pk) is None
        assert PARTY.value(event_id=pk) is None
    assert len(captured) == 0


def test_a_value_is_the_first_column_of_the_first_row():
    event = EventFactory(capacity=30)
    RegistrationFactory(event=event, party_size=2)
    RegistrationFactory(event=event, party_size=3)
    other = EventFactory()
    with CaptureQueriesContext(connection) as captured:
        assert PARTY.value(event_id=event.pk) == 5
        assert PARTY.value(event_id=other.pk) is None
    assert len(captured) == 2


def test_an_argument_that_is_no_query_parameter_is_refused():
    wrong = Prepared(lambda pk: Event.objects.filter(title="x").only("title"))
    with pytest.raises(ImproperlyConfigured):
        wrong.first(pk=1)


def _registration(event, phone: str) -> Registration:
    return Registration(
        event=event,
        name="家长",
        phone=phone,
        email="a@example.cn",
        party_size=2,
        status="confirmed",
    )


def test_an_insert_writes_the_row_save_writes_and_sends_the_same_signals():
    event = EventFactory(capacity=30)
    saved = _registration(event, "13900000001")
    saved.save(force_insert=True)
    inserted = insert(_registration(event, "13900000002"))
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert (inserted._state.adding, inserted._state.db) == (False, "default")
    columns = [f.attname for f in Registration._meta.concrete_fields]
    columns = [c for c in columns if c not in ("id", "phone", "code", "created_at")]
    assert Registration.objects.filter(pk=inserted.pk).values(*columns).get() == (
        Registration.objects.filter(pk=saved.pk).values(*columns).get()
    )
    # post_save(created=True): simple_history wrote its row, as for save().
    assert [row.history_type for row in inserted.history.all()] == ["+"]


def test_a_value_that_is_an_expression_is_inserted_by_django():
    event = EventFactory(capacity=30)
    registration = _registration(event, "13900000003")
    registration.name = Upper(Value("abc"))
    insert(registration)
    assert Registration.objects.get(pk=registration.pk).name == "ABC"


STARTING_BEFORE = Prepared(
    lambda moment, venue_id: (
        Event.objects.filter(starts_at__lt=moment, venue_id=venue_id)
        .order_by("starts_at", "pk")
        .only("title")[:1]
    ),
    datetimes=("moment",),
)


def test_a_datetime_argument_is_compared_as_the_queryset_compares_it():
    from datetime import timedelta

    from tests.outreach.factories import NOW

    early = EventFactory(starts_at=NOW)
    EventFactory(starts_at=NOW + timedelta(days=1), venue=early.venue)
    other = EventFactory(starts_at=NOW).venue_id
    venue = early.venue_id
    assert STARTING_BEFORE.first(moment=NOW, venue_id=venue) is None
    assert STARTING_BEFORE.first(moment=NOW + timedelta(seconds=1), venue_id=venue) == early
    assert STARTING_BEFORE.first(moment=NOW + timedelta(days=3), venue_id=venue) == early
    assert STARTING_BEFORE.first(moment=NOW + timedelta(days=3), venue_id=other + 1000) is None


def test_datetimes_must_name_arguments():
    with pytest.raises(ImproperlyConfigured):
        Prepared(lambda pk: Event.objects.filter(pk=pk), datetimes=("when",))


def test_an_update_writes_what_save_writes_and_sends_the_same_signals():
    from django.db.models.signals import post_save, pre_save

    from kexie.platform.lib.prepared import update

    registration = RegistrationFactory(party_size=1)
    seen = []

    def record(sender, instance, update_fields, **kwargs):
        seen.append((kwargs.get("created"), set(update_fields)))

    pre_save.connect(record, sender=Registration)
    post_save.connect(record, sender=Registration)
    try:
        registration.party_size = 3
        registration.name = "改名"
        registration.email = "changed@example.cn"  # not among the fields: stays
        with CaptureQueriesContext(connection) as captured:
            update(registration, ["party_size", "name"])
    finally:
        pre_save.disconnect(record, sender=Registration)
        post_save.disconnect(record, sender=Registration)
    # The UPDATE, then the history row post_save writes (as after save()).
    assert statement_sql(captured.captured_queries[0]["sql"]).startswith("UPDATE")
    assert len(captured.captured_queries) == 2
    assert seen == [(None, {"party_size", "name"}), (False, {"party_size", "name"})]
    fresh = Registration.objects.get(pk=registration.pk)
    assert (fresh.party_size, fresh.name, fresh.email) == (3, "改名", "")


def test_an_update_of_a_row_that_is_gone_is_refused_as_save_refuses_it():
    from django.db import DatabaseError

    from kexie.platform.lib.prepared import update

    registration = RegistrationFactory()
    Registration.objects.filter(pk=registration.pk).delete()
    with pytest.raises(DatabaseError):
        update(registration, ["name"])


TITLED = Prepared(
    lambda title, venue_id: Event.objects.filter(title=title, venue_id=venue_id).only("title"),
    strings=("title",),
)


def test_a_string_argument_is_compared_as_the_queryset_compares_it():
    event = EventFactory(title="当湖街道亲子科学课")
    tricky = EventFactory(title="50% ' OR 1=1 -- \\ _", venue=event.venue)
    venue = event.venue_id
    assert TITLED.first(title="当湖街道亲子科学课", venue_id=venue) == event
    assert TITLED.first(title=tricky.title, venue_id=venue) == tricky
    for title in ("当湖街道", "%", "' OR 1=1 --", "x" * 300, ""):
        assert TITLED.first(title=title, venue_id=venue) is None
    # The id beside it is still checked against the range an id column holds.
    assert TITLED.first(title="当湖街道亲子科学课", venue_id=2**70) is None


def test_strings_must_name_arguments_other_than_datetimes():
    with pytest.raises(ImproperlyConfigured):
        Prepared(lambda pk: Event.objects.filter(pk=pk), strings=("title",))
    with pytest.raises(ImproperlyConfigured):
        Prepared(
            lambda when: Event.objects.filter(starts_at__lt=when),
            strings=("when",),
            datetimes=("when",),
        )


def test_a_string_the_query_changes_is_refused():
    # ``icontains`` wraps the text in wildcards: the marker is no longer a
    # parameter of its own, so the statement cannot be run with another text.
    searching = Prepared(
        lambda text: Event.objects.filter(title__icontains=text).only("title"),
        strings=("text",),
    )
    with pytest.raises(ImproperlyConfigured):
        searching.first(text="科学")


NEXT = Prepared(
    lambda pk: Event.objects.filter(pk=pk).only("title").annotate(doubled=F("capacity") * 2)
)


def test_an_annotation_is_set_on_the_instance_it_reads_with():
    event = EventFactory(capacity=21)
    found = NEXT.first(pk=event.pk)
    assert (found.pk, found.title, found.doubled) == (event.pk, event.title, 42)
    assert found.get_deferred_fields() >= {"capacity"}


def _four_rows(event, phone: str, *, pk=None) -> tuple:
    """A sign-up (its history row written by its post_save), a receipt and a
    consent naming it, inserted with ``insert`` one after the other."""
    registration = _registration(event, phone)
    registration.pk = pk
    insert(registration)
    notification = insert(
        Notification(
            channel="sms", recipient=phone, body="报名成功", dedupe_key=f"t:{registration.pk}"
        )
    )
    consent = insert(
        Consent(notice="signup", version="1", record_type="r", record_id=registration.pk)
    )
    return registration, notification, consent


def _stored(registration, notification, consent) -> tuple:
    """The rows as stored, without what differs between two sign-ups."""
    varies = {"id", "phone", "code", "created_at", "recipient", "dedupe_key", "record_id"}
    varies |= {"history_id", "history_date", "given_at", "next_attempt_at", "created"}

    def row(model, **lookup):
        values = model.objects.filter(**lookup).values().get()
        return {k: v for k, v in values.items() if k not in varies}

    history = Registration.history.model
    return (
        row(Registration, pk=registration.pk),
        row(history, id=registration.pk),
        row(Notification, pk=notification.pk),
        row(Consent, pk=consent.pk),
    )


def _next_id() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('outreach_registration', 'id'))")
        return cursor.fetchone()[0]


def test_inserts_together_write_the_rows_one_by_one_writes_in_one_statement():
    event = EventFactory(capacity=30)
    one_by_one = _four_rows(event, "13900000011")
    pk = _next_id()
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), together():
        rows = _four_rows(event, "13900000012", pk=pk)
        if connection.vendor == "postgresql":
            # Queued: the ids are set when the block ends.
            assert rows[1].pk is None and rows[0].pk == pk
    assert all(row.pk is not None and not row._state.adding for row in rows)
    assert _stored(*rows) == _stored(*one_by_one)
    assert rows[1].dedupe_key == f"t:{rows[0].pk}" and rows[2].record_id == rows[0].pk
    sent = [statement_sql(q["sql"]) for q in captured.captured_queries]
    inserts = [sql for sql in sent if "INSERT" in sql]
    # The sign-up, its history row, the receipt, the consent.
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 4)
    assert sum(sql.count("INSERT INTO") for sql in inserts) == 4
    # The history row is the one simple_history writes.
    history = Registration.history.get(id=rows[0].pk)
    assert (history.history_type, history.history_user_id, history.name) == ("+", None, "家长")


def test_an_error_in_the_block_inserts_nothing():
    event = EventFactory(capacity=30)
    with pytest.raises(RuntimeError), transaction.atomic(), together():
        _four_rows(event, "13900000013", pk=_next_id())
        raise RuntimeError
    assert not Registration.objects.filter(phone="13900000013").exists()
    assert not Consent.objects.exists() and not Notification.objects.exists()


def test_a_row_the_database_refuses_refuses_the_whole_block():
    event = EventFactory(capacity=30)
    _four_rows(event, "13900000014")
    # The same phone again: the sign-up's unique constraint refuses it.
    with pytest.raises(IntegrityError), transaction.atomic(), together():
        _four_rows(event, "13900000014", pk=_next_id())
    assert Registration.objects.filter(phone="13900000014").count() == 1
    assert Consent.objects.count() == 1 and Notification.objects.count() == 1


def _history_rows(*phones) -> list[dict]:
    """The history rows of these sign-ups, without what differs between two."""
    varies = {"id", "phone", "code", "created_at", "history_id", "history_date"}
    rows = Registration.history.filter(phone__in=phones).order_by("phone").values()
    return [{k: v for k, v in row.items() if k not in varies} for row in rows]


def test_a_history_row_written_in_the_statement_is_the_one_simple_history_writes(rf, expert_user):
    """Signed in, with a change reason: simple_history's user and reason."""
    event = EventFactory(capacity=30)
    request = rf.post("/")
    request.user = expert_user
    HistoricalRecords.context.request = request
    try:
        one_by_one = _registration(event, "13900000021")
        one_by_one._change_reason = "电话报名"
        one_by_one.save(force_insert=True)
        together_row = _registration(event, "13900000022")
        together_row._change_reason = "电话报名"
        together_row.pk = _next_id()
        with CaptureQueriesContext(connection) as captured, transaction.atomic(), together():
            insert(together_row)
    finally:
        del HistoricalRecords.context.request
    first, second = _history_rows("13900000021", "13900000022")
    assert first == second
    assert (second["history_user_id"], second["history_change_reason"]) == (
        expert_user.pk,
        "电话报名",
    )
    assert not hasattr(together_row, "skip_history_when_saving")
    sent = [statement_sql(q["sql"]) for q in captured.captured_queries]
    inserts = [sql for sql in sent if "INSERT" in sql]
    # On PostgreSQL the sign-up and its history row in one statement.
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 2)


def test_a_receiver_of_the_history_signals_gets_its_history_row_from_simple_history():
    event = EventFactory(capacity=30)
    seen = []

    def receiver(sender, history_instance, **kwargs):
        seen.append(history_instance.phone)

    post_create_historical_record.connect(receiver, sender=Registration.history.model)
    try:
        registration = _registration(event, "13900000023")
        registration.pk = _next_id()
        with transaction.atomic(), together():
            insert(registration)
    finally:
        post_create_historical_record.disconnect(receiver, sender=Registration.history.model)
    assert seen == ["13900000023"]
    assert [row["history_type"] for row in _history_rows("13900000023")] == ["+"]


def test_a_save_simple_history_skips_gets_no_history_row_together_either():
    event = EventFactory(capacity=30)
    registration = _registration(event, "13900000024")
    registration.pk = _next_id()
    registration.skip_history_when_saving = True
    with transaction.atomic(), together():
        insert(registration)
    assert Registration.objects.filter(phone="13900000024").exists()
    assert _history_rows("13900000024") == []


BY_TITLE_AND_STATUS = Prepared(
    lambda pk: Event.objects.filter(pk__gte=pk, title="科普 ' 讲座", status="published").order_by(
        "pk"
    )
)


def test_a_constant_of_the_query_reads_the_rows_the_queryset_reads():
    """Constants, a quote and Chinese text included, give the queryset's rows
    (on PostgreSQL they are written into the SQL, see the next test)."""
    wanted = EventFactory(title="科普 ' 讲座", status="published")
    EventFactory(title="科普 ' 讲座", status="draft")
    EventFactory(title="别的讲座", status="published")
    assert BY_TITLE_AND_STATUS.first(pk=0).pk == wanted.pk
    assert BY_TITLE_AND_STATUS.first(pk=wanted.pk + 1) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_drain_plans_with_its_pending_index_even_under_a_generic_plan():
    """A prepared statement's generic plan (what PostgreSQL settles on after
    five runs) cannot use a partial index whose condition is a parameter:
    the drain's look for the next pending row read the whole outbox then."""
    from kexie.platform.outbox.services import _NEW_ROW

    look = _NEW_ROW[Notification.Channel.SMS]
    assert look.first(now=timezone_now()) is None
    built = look._get(connection)
    arguments = ", ".join(["%s"] * len(built.params))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        # The test's table is nearly empty: ask for an index where one serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"PREPARE kexie_plan_check AS {_numbered(built.sql)}")
        cursor.execute(f"EXPLAIN EXECUTE kexie_plan_check({arguments})", [timezone_now()])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE kexie_plan_check")
    assert "outbox_pending_next" in plan, plan
