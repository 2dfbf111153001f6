"""Queries whose SQL is built once, for the few that run on every request of a
hot path (the sign-up POST of a storm, issue 15).

Building a query's SQL with Django's compiler costs a few hundred microseconds
of CPU, more than the database takes to run a lookup by key. A ``Prepared``
query is written as an ordinary queryset, built the first time it runs on a
database with a marker in place of each argument, and from then on runs its
SQL with the call's arguments: the same statement, the same columns, the same
conversions of the values read (``from_db_value``, the backend's converters),
the same model instances. Arguments are integers (ids), so a marker is never
mistaken for another value; an argument named in ``datetimes`` is an aware
datetime instead (a moment compared with a column), marked by a moment in 1901;
one named in ``strings`` is text compared as it is (a session's key), marked by
text holding a NUL character, which no text column can hold.

    _ROW = Prepared(lambda pk: Event.objects.filter(pk=pk).only("title", "status"))
    event = _ROW.first(pk=5)          # an Event with only those columns, or None
    total = _SUM.value(event_id=5)     # the first column of the first row, or None

``insert(instance)`` is ``instance.save(force_insert=True)`` for a new row of a
plain model (no parent, no proxy), with its INSERT built once per model: the
same signals, the same values (``pre_save``, ``get_db_prep_save``), the id set
from ``RETURNING``. A row whose values need more (an expression, a database
default) is saved by ``save()`` itself. ``update(instance, fields)`` is
``instance.save(update_fields=fields)`` likewise, its UPDATE built once per
model and fields. Plain values of plain fields (a ``str`` for a
``CharField``, an ``int`` for an ``IntegerField``, an aware datetime…) skip
``get_db_prep_save``'s layers, which would hand them back unchanged.

Inside ``together()``, a new row with its id given whose model
django-simple-history tracks has its history row written by one more
``INSERT`` of the same statement, with the values simple_history's
``post_save`` would write (the tracked columns as inserted, its date, user,
change reason and ``+``), instead of simple_history building a historical
instance in Python; when anything could see the difference (a receiver of
its signals or of the historical model's saves, a history with extra
columns or many-to-many fields) simple_history writes it as before.
"""

import dataclasses
import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    QuerySet,
    TextField,
)
from django.db.models.fields import AutoFieldMixin
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from kexie.platform.lib import server_statements

# Far outside any id the database hands out; one per argument.
_MARKER_BASE = -7_301_946_285_000

# What an id column can hold on every backend (a 64-bit signed integer).
_ID_RANGE = range(-(2**63), 2**63)

# A datetime argument's marker: a moment no row holds, one second apart.
_MOMENT_BASE = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)

# A string argument's marker: text no row holds (PostgreSQL's text refuses NUL).
_TEXT_MARK = "\x00kexie-prepared-{}\x00"


@dataclass(frozen=True)
class _Built:
    sql: str
    # Each parameter: (index of the call's argument, None) or (None, constant).
    params: tuple[tuple[int | None, object], ...]
    attnames: tuple[str, ...]
    # (column position, converters, expression), as the compiler applies them.
    converters: tuple
    model: type[Model] | None
    # The columns' positions in the model's field order (``Model.from_db``).
    order: tuple[int, ...]
    # (attribute, column position) of each annotation, set on the instance.
    annotations: tuple[tuple[str, int], ...] = ()
    # The columns the query returns.
    width: int = 0


class Prepared:
    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        using: str = DEFAULT_DB_ALIAS,
        datetimes: tuple[str, ...] = (),
        strings: tuple[str, ...] = (),
    ):
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        self._using = using
        self._datetimes = frozenset(datetimes)
        self._strings = frozenset(strings)
        if not self._datetimes <= set(self._names):
            raise ImproperlyConfigured(f"datetimes {datetimes} must name arguments of the query")
        if not self._strings <= set(self._names) or self._strings & self._datetimes:
            raise ImproperlyConfigured(
                f"strings {strings} must name other arguments of the query than datetimes"
            )
        # Arguments that are ids (checked against the range an id column holds).
        self._ids = tuple(
            name not in self._datetimes and name not in self._strings for name in self._names
        )
        self._built: dict[tuple[str, str], _Built] = {}

    def _get(self, connection) -> _Built:
        key = (connection.alias, connection.vendor)
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = self._compile(connection)
        return built

    def _marker(self, i: int):
        if self._names[i] in self._datetimes:
            return _MOMENT_BASE + timedelta(seconds=i)
        if self._names[i] in self._strings:
            return _TEXT_MARK.format(i)
        return _MARKER_BASE - i

    def _compile(self, connection) -> _Built:
        arguments = [self._marker(i) for i in range(len(self._names))]
        # Each marker as the query's parameters hold it.
        markers = {
            self._db_value(marker, name, connection): i
            for i, (marker, name) in enumerate(zip(arguments, self._names, strict=True))
        }
        queryset = self._build(*arguments)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        at = [markers.get(p) if type(p) in (int, str, datetime) else None for p in params]
        if {i for i in at if i is not None} != set(markers.values()):
            raise ImproperlyConfigured(f"each argument of {self._names} must be a query parameter")
        columns = [column for column, _sql, _alias in compiler.select]
        model = None
        attnames: tuple[str, ...] = ()
        order: tuple[int, ...] = ()
        annotations: tuple[tuple[str, int], ...] = ()
        if compiler.klass_info is not None:
            if compiler.klass_info.get("related_klass_infos"):
                raise ImproperlyConfigured("a prepared query reads one model (no select_related)")
            model = compiler.klass_info["model"]
            positions = compiler.klass_info["select_fields"]
            attnames = tuple(columns[position].target.attname for position in positions)
            order = tuple(
                positions[attnames.index(field.attname)]
                for field in model._meta.concrete_fields
                if field.attname in attnames
            )
            annotations = tuple(compiler.annotation_col_map.items())
        converters = tuple(
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(columns).items()
        )
        sql, at, params = _constants_written_in(connection, sql, at, params)
        return _Built(
            sql=sql,
            params=tuple(
                (i, None if i is not None else p) for i, p in zip(at, params, strict=True)
            ),
            attnames=attnames,
            converters=converters,
            model=model,
            order=order,
            annotations=annotations,
            width=len(compiler.select),
        )

    def _params(self, kwargs: dict, connection) -> tuple[_Built, list | None]:
        """The built query and the call's parameters, or None when no row
        can match (an id out of range)."""
        built = self._get(connection)
        arguments = [kwargs[name] for name in self._names]
        if any(
            argument not in _ID_RANGE
            for argument, is_id in zip(arguments, self._ids, strict=True)
            if is_id
        ):
            # No row can have it: answer as the ORM does for an id too big for
            # its column, instead of an error from the driver (an address
            # such as /events/<2**70>/ is a 404, not a 500).
            return built, None
        if self._datetimes:
            arguments = [
                self._db_value(argument, name, connection)
                for argument, name in zip(arguments, self._names, strict=True)
            ]
        return built, [arguments[i] if i is not None else value for i, value in built.params]

    def _row(self, kwargs: dict) -> tuple[_Built, list | None, object]:
        connection = connections[self._using]
        built, params = self._params(kwargs, connection)
        if params is None:
            return built, None, connection
        with connection.cursor() as cursor:
            server_statements.execute(connection, cursor, built.sql, params)
            row = cursor.fetchone()
        if row is None:
            return built, None, connection
        return built, _converted(built, row, connection), connection

    def _db_value(self, value, name: str, connection):
        if name in self._datetimes:
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def statement(self, **kwargs) -> tuple[str, list] | None:
        """This call's SQL and parameters, to be sent with other statements
        (``server_statements.execute_together``); None when no row can match.
        ``instance`` makes the fetched row an instance, as ``first`` does."""
        connection = connections[self._using]
        if (connection.alias, connection.vendor) not in self._built:
            # Built inside a transaction, where Django compiles a locking
            # read (nothing is sent to the server).
            with transaction.atomic(using=self._using):
                self._get(connection)
        built, params = self._params(kwargs, connection)
        return None if params is None else (built.sql, params)

    def instance(self, row) -> Model:
        """A row fetched for ``statement`` as the queryset's model."""
        connection = connections[self._using]
        built = self._get(connection)
        return _instance(built, _converted(built, row, connection), connection)

    def first(self, **kwargs) -> Model | None:
        """The first row as the queryset's model, or None."""
        built, row, connection = self._row(kwargs)
        if row is None:
            return None
        return _instance(built, row, connection)

    def value(self, **kwargs):
        """The first column of the first row, or None when there is no row."""
        _built, row, _connection = self._row(kwargs)
        return None if row is None else row[0]

    def values(self, **kwargs) -> list | None:
        """The first row's columns, converted as the queryset converts them
        (a ``values_list`` query), or None when there is no row."""
        _built, row, _connection = self._row(kwargs)
        return row


def _converted(built: _Built, row, connection) -> list:
    """A row's values as the compiler converts them."""
    row = list(row)
    for position, functions, expression in built.converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


def _instance(built: _Built, row: list, connection) -> Model:
    instance = built.model.from_db(
        connection.alias, built.attnames, [row[position] for position in built.order]
    )
    for attribute, position in built.annotations:
        setattr(instance, attribute, row[position])
    return instance


def _constants_written_in(connection, sql: str, at: list, params) -> tuple[str, list, list]:
    """On PostgreSQL, the query's constants (``status = 'pending'``) written
    into its SQL as literals; only the call's arguments stay parameters.

    A statement prepared on the server is planned for any value of its
    parameters after a few runs (a generic plan), and such a plan cannot use
    a partial index whose condition a parameter stands for: the outbox
    drain's look for the next pending row fell back to reading the whole
    table, once for every receipt of a storm. A constant is the same at every
    call, so written in, the plan knows it."""
    if connection.vendor != "postgresql":
        return sql, at, list(params)
    from psycopg2.extensions import adapt

    pieces = server_statements._PLACEHOLDER.split(sql)
    marks = server_statements._PLACEHOLDER.findall(sql)
    out, kept_at, kept_params = [pieces[0]], [], []
    position = 0
    for mark, piece in zip(marks, pieces[1:], strict=True):
        if mark == "%%":
            out.append(mark)
        else:
            i, value = at[position], params[position]
            position += 1
            if i is None and isinstance(value, str | int) and "%" not in str(value):
                # Choices' members as the plain text or number they stand for.
                if type(value) is not bool:
                    value = str(value) if isinstance(value, str) else int(value)
                literal = adapt(value)
                if hasattr(literal, "prepare"):  # a string, in the connection's encoding
                    connection.ensure_connection()
                    literal.prepare(connection.connection)
                out.append(literal.getquoted().decode())
            else:
                out.append(mark)
                kept_at.append(i)
                kept_params.append(value)
        out.append(piece)
    return "".join(out), kept_at, kept_params


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple
    returning: tuple
    returning_params: tuple
    # (position, converters, expression) for the values returned.
    converters: tuple
    # Each field's kind of plain value (``_plain_kind``), or None.
    kinds: tuple = ()
    # Whether each field's ``pre_save`` reads its value as it is.
    plain_pre_save: tuple = ()


_inserts: dict[tuple[type[Model], str, str, bool], _Insert | None] = {}


def _insert_for(model: type[Model], connection, *, with_pk: bool) -> _Insert | None:
    """The model's INSERT, built once: of every column but its auto id, or
    (``with_pk``) of the id given too."""
    key = (model, connection.alias, connection.vendor, with_pk)
    if key in _inserts:
        return _inserts[key]
    meta = model._meta
    fields = tuple(
        field
        for field in meta.local_concrete_fields
        if not field.generated and (with_pk or field is not meta.auto_field)
    )
    returning = tuple(meta.db_returning_fields)
    built = None
    plain = not (meta.parents or meta.proxy or meta.order_with_respect_to)
    if (
        plain
        and connection.features.can_return_columns_from_insert
        and not any(hasattr(field, "get_placeholder") for field in fields)
        and not any(field.has_db_default() for field in fields)
    ):
        quote = connection.ops.quote_name
        returning_sql, returning_params = connection.ops.return_insert_columns(returning)
        sql = "{} {} ({}) VALUES ({}) {}".format(
            connection.ops.insert_statement(),
            quote(meta.db_table),
            ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
            returning_sql,
        )
        query = model._base_manager.none().query
        compiler = query.get_compiler(connection=connection)
        columns = [field.get_col(meta.db_table) for field in returning]
        built = _Insert(
            sql=sql,
            fields=fields,
            returning=returning,
            returning_params=tuple(returning_params),
            converters=tuple(
                (position, functions, expression)
                for position, (functions, expression) in compiler.get_converters(columns).items()
            ),
            kinds=tuple(_plain_kind(field, connection) for field in fields),
            plain_pre_save=tuple(_plain_pre_save(field) for field in fields),
        )
    _inserts[key] = built
    return built


def _same(cls: type, name: str, owner: type) -> bool:
    return getattr(cls, name) is getattr(owner, name)


def _plain_kind(field, connection) -> str | None:
    """How a plain value of this field becomes its parameter without
    ``get_db_prep_save`` giving anything else (checked on the field's class,
    so a subclass that changes a conversion keeps Django's):

    - ``"text"``: a ``str`` is the parameter as it is (``CharField``,
      ``TextField``, ``EmailField``…: ``to_python`` returns a ``str`` as is);
    - ``"int"``: an ``int`` likewise, where the backend adapts integers as
      they are (``IntegerField``, its sizes, ``AutoField``s), and a
      ``ForeignKey`` to such a field;
    - ``"bool"``: a ``bool`` as it is (``BooleanField``);
    - ``"moment"``: an aware ``datetime`` goes through the backend's
      ``adapt_datetimefield_value`` only (``DateTimeField``).

    None is the parameter of a None value of every kind but ``"moment"``
    (which adapts it too).
    """
    cls = type(field)
    if isinstance(field, ForeignKey):
        if _same(cls, "get_db_prep_save", ForeignKey) and field.target_field is not field:
            return "int" if _plain_kind(field.target_field, connection) == "int" else None
        return None
    if not _same(cls, "get_db_prep_save", Field):
        return None
    if isinstance(field, CharField | TextField):
        owner = CharField if isinstance(field, CharField) else TextField
        plain = _same(cls, "get_prep_value", owner) and _same(cls, "to_python", owner)
        return "text" if plain and _same(cls, "get_db_prep_value", Field) else None
    if isinstance(field, IntegerField):
        ops = type(connection.ops)
        if isinstance(field, AutoFieldMixin):
            plain = _same(cls, "get_db_prep_value", AutoFieldMixin)
            adapts = _same(ops, "validate_autopk_value", BaseDatabaseOperations)
        else:
            plain = _same(cls, "get_db_prep_value", IntegerField)
            adapts = _same(ops, "adapt_integerfield_value", BaseDatabaseOperations)
        return "int" if plain and adapts and _same(cls, "get_prep_value", IntegerField) else None
    if isinstance(field, BooleanField):
        plain = _same(cls, "get_prep_value", BooleanField) and _same(cls, "to_python", BooleanField)
        return "bool" if plain and _same(cls, "get_db_prep_value", Field) else None
    if isinstance(field, DateTimeField):
        plain = (
            _same(cls, "get_db_prep_value", DateTimeField)
            and _same(cls, "get_prep_value", DateTimeField)
            and _same(cls, "to_python", DateTimeField)
        )
        return "moment" if plain else None
    return None


_PLAIN_TYPES = {"text": str, "int": int, "bool": bool}
# Values that are never an expression.
_PLAIN_VALUES = frozenset((str, int, bool, datetime))


def _plain_pre_save(field) -> bool:
    """Whether ``field.pre_save(instance, add=True)`` is the instance's value
    as it is (``Field.pre_save``; a date without ``auto_now``/``auto_now_add``)."""
    cls = type(field)
    if _same(cls, "pre_save", Field):
        return True
    return (
        isinstance(field, DateField)
        and _same(cls, "pre_save", DateField)
        and not (field.auto_now or field.auto_now_add)
    )


def _db_param(field, kind: str | None, value, connection):
    """``field.get_db_prep_save(value)``, the short way for a plain value of
    a plain field (``_plain_kind``)."""
    if kind == "moment":
        if value is None or (type(value) is datetime and value.utcoffset() is not None):
            return connection.ops.adapt_datetimefield_value(value)
    elif kind is not None and (value is None or type(value) is _PLAIN_TYPES[kind]):
        return value
    return field.get_db_prep_save(value, connection=connection)


def _insert_params(built: _Insert, instance: Model, connection) -> list | None:
    """The insert's parameters: each field's ``pre_save`` value through
    ``get_db_prep_save`` (``_db_param``); None when a value is an expression
    (a database function, a default), which Django's own insert writes."""
    params = []
    for field, kind, plain_pre_save in zip(
        built.fields, built.kinds, built.plain_pre_save, strict=True
    ):
        if plain_pre_save:
            value = getattr(instance, field.attname)
        else:
            value = field.pre_save(instance, True)
        if type(value) not in _PLAIN_VALUES and hasattr(value, "resolve_expression"):
            return None
        params.append(_db_param(field, kind, value, connection))
    return params


@dataclass(frozen=True)
class _History:
    """A model's history row (django-simple-history) as one more INSERT of
    the ``together()`` block, its values those simple_history writes."""

    records: object
    model: type[Model]
    insert: _Insert
    # Each column: ("copy", index of the tracked row's parameter) or its name.
    sources: tuple


# The columns simple_history adds to the tracked ones (its id aside).
_HISTORY_OWN = ("history_date", "history_change_reason", "history_type", "history_user_id")

_histories: dict[tuple[type[Model], str, str], _History | None] = {}


def _history_for(model: type[Model], connection, built: _Insert) -> _History | None:
    """How to write ``model``'s history row with its own insert, or None
    when simple_history does not track it or its row holds more than the
    tracked columns and its own (then simple_history writes it)."""
    key = (model, connection.alias, connection.vendor)
    if key in _histories:
        return _histories[key]
    history = None
    records = next(
        (
            getattr(receiver, "__self__", None)
            for receiver in post_save._live_receivers(model)[0]
            if isinstance(getattr(receiver, "__self__", None), HistoricalRecords)
        ),
        None,
    )
    if (
        records is not None
        and records.user_id_field is None
        and not records.m2m_fields
        and not getattr(model, "_history_m2m_fields", ())
    ):
        history_model = getattr(model, model._meta.simple_history_manager_attribute).model
        insert_built = _insert_for(history_model, connection, with_pk=False)
        copied = {field.attname: i for i, field in enumerate(built.fields)}
        tracked = {field.attname: field for field in records.fields_included(model)}
        sources = []
        for field in insert_built.fields if insert_built else ():
            name = field.attname
            if name in tracked and name in copied:
                original = tracked[name]
                # simple_history's copy of a field converts as the field does
                # (only an automatic key becomes a plain integer).
                if type(field) is not type(original) and not original.primary_key:
                    break
                sources.append(("copy", copied[name]))
            elif name in _HISTORY_OWN:
                sources.append(name)
            else:
                break
        else:
            if insert_built is not None and len(sources) == len(tracked) + len(_HISTORY_OWN):
                history = _History(records, history_model, insert_built, tuple(sources))
    _histories[key] = history
    return history


def _history_row(history: _History, instance: Model, params: list, connection) -> list | None:
    """The history row's parameters as simple_history would write them now,
    or None when it would write none, or would not write it alone (a
    receiver of its signals or of the history model's saves)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or settings.DATABASE_ROUTERS:
        # (A router might send the history row to another database.)
        return None
    if hasattr(instance, "skip_history_when_saving"):
        return None
    model = history.model
    if (
        pre_save.has_listeners(model)
        or post_save.has_listeners(model)
        or pre_create_historical_record.has_listeners(model)
        or post_create_historical_record.has_listeners(model)
    ):
        return None
    user = history.records.get_history_user(instance)
    named = {
        "history_date": getattr(instance, "_history_date", timezone.now()),
        "history_change_reason": history.records.get_change_reason_for_object(instance, "+", None),
        "history_type": "+",
        "history_user_id": None if user is None else user.pk,
    }
    insert = history.insert
    values = []
    for field, kind, source in zip(insert.fields, insert.kinds, history.sources, strict=True):
        if type(source) is tuple:
            values.append(params[source[1]])
        else:
            values.append(_db_param(field, kind, named[source], connection))
    return values + list(insert.returning_params)


@dataclass
class _Queued:
    built: _Insert
    params: list
    # None for a row no instance stands for (a history row written in SQL).
    instance: Model | None


# The inserts waiting for the end of a ``together()`` block, per thread and
# database (Django's connections are per thread too).
_queues = threading.local()


def _queue(using: str) -> list[_Queued] | None:
    return getattr(_queues, using, None)


@contextmanager
def together(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """The block's inserts (``insert``) sent to PostgreSQL in one statement,
    one round trip, when the block ends: a data-modifying ``WITH`` of one
    ``INSERT … RETURNING`` each, its values exactly those of the inserts one
    by one. An insert is queued with its values and signals as they were
    when it was called (``post_save`` included, so the history row of a row
    saved in the block joins it), its returned columns (the id) are set when
    the block ends; so a row whose id a later row needs is given its id
    beforehand. For use in a transaction, by code whose receivers of these
    models read nothing back from the database; an error discards the
    queue (the transaction is rolled back anyway). Elsewhere than PostgreSQL
    (SQLite: no data-modifying ``WITH``) and inside another such block, each
    insert is sent when it is called, as without the block."""
    connection = connections[using]
    if connection.vendor != "postgresql" or _queue(using) is not None:
        yield
        return
    with _collecting(using) as queue:
        yield
    if queue:
        _send_together(queue, connection, using)


@contextmanager
def _collecting(using: str) -> Iterator[list[_Queued]]:
    """The queue ``insert`` appends to on ``using`` while the block runs."""
    queue: list[_Queued] = []
    setattr(_queues, using, queue)
    try:
        yield queue
    finally:
        delattr(_queues, using)


def _set_all_returned(queue: list[_Queued], row, at: int, connection) -> None:
    """Each queued insert's returned columns, read from ``row`` from ``at`` on."""
    for item in queue:
        width = len(item.built.returning)
        if item.instance is not None:
            _set_returned(item.instance, item.built, list(row[at : at + width]), connection)
        at += width


def _send_together(queue: list[_Queued], connection, using: str) -> None:
    if len(queue) == 1:
        sql, params = queue[0].built.sql, queue[0].params
    else:
        # Each CTE returns one row, so their product is one row: every
        # insert's returned columns, in the queue's order.
        names = [f"insert_{i}" for i in range(len(queue))]
        sql = "WITH {} SELECT {} FROM {}".format(  # noqa: S608 - SQL built from models
            ", ".join(
                f"{name} AS ({item.built.sql})" for name, item in zip(names, queue, strict=True)
            ),
            ", ".join(f"{name}.*" for name in names),
            ", ".join(names),
        )
        params = [param for item in queue for param in item.params]
    with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
        server_statements.execute(connection, cursor, sql, params)
        row = cursor.fetchone()
    _set_all_returned(queue, row, 0, connection)


@dataclass(frozen=True)
class Guard:
    """What the inserts of a ``guarded()`` block depend on: the row ``lock``
    reads with ``arguments`` (a ``Prepared`` query of one row,
    ``select_for_update()``), locked, holding ``equal``'s values (None
    matches NULL) and each of ``between``'s columns within its bounds
    (inclusive; None for no bound). Keys are attribute names."""

    lock: Prepared
    arguments: dict
    equal: dict
    between: dict = dataclasses.field(default_factory=dict)


class GuardFailed(Exception):
    """The guarded row was not as expected, so nothing was written; ``row``
    is the row as the lock read it (an instance of its columns)."""

    def __init__(self, row: Model):
        super().__init__(row)
        self.row = row


@contextmanager
def guarded(guard: Guard, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction whose inserts (``insert``) are written only if a row,
    locked, is as the caller decided they should be (``Guard``): the lock,
    the check and every insert are one statement, one round trip, when the
    block ends. If the row is otherwise, nothing is written, the transaction
    is rolled back (its ``on_commit`` hooks dropped, its instances unsaved
    again) and ``GuardFailed`` carries the row as locked; if no row matches
    the lock, its model's ``DoesNotExist``.

    Outside any other transaction the statement is the whole transaction:
    psycopg2 sends it in autocommit, so the server commits it as it ends,
    and the ``BEGIN`` and ``COMMIT`` Django logs around it send nothing
    (psycopg2 sends ``BEGIN`` before a statement only outside autocommit,
    and ``COMMIT`` only for a transaction it began): one round trip instead
    of three. Nothing can follow the statement in that transaction, since
    this block is the transaction and the statement is sent as it ends; an
    error rolls back the statement on the server and the block in Django
    alike. Inside an outer transaction the statement is one more of its own.

    PostgreSQL only: SQLite has no data-modifying ``WITH``."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("guarded() needs PostgreSQL")
    if _queue(using) is not None:
        raise ImproperlyConfigured("guarded() inside together() or guarded()")
    whole = not connection.in_atomic_block and connection.get_autocommit()
    with transaction.atomic(using=using):
        with _collecting(using) as queue:
            yield
        _send_guarded(queue, guard, connection, whole=whole)


def _from_passed(insert_sql: str) -> str:
    """``INSERT INTO t (…) VALUES (…) RETURNING …`` as an insert of the same
    values for each row of ``passed`` (one row, or none)."""
    head, rest = insert_sql.split(" VALUES (", 1)
    values, returning = rest.split(") RETURNING ", 1)
    return f"{head} SELECT {values} FROM passed RETURNING {returning}"  # noqa: S608


# A guarded statement's SQL by its shape: the lock, the columns checked, the inserts.
_guarded_sql: dict[tuple, str] = {}


def _build_guarded(shape: tuple, fields: dict, connection) -> str:
    lock_sql, equal, between, inserts = shape
    quote = connection.ops.quote_name
    conditions = [
        f"locked.{quote(fields[attname].column)} IS NOT DISTINCT FROM %s" for attname in equal
    ]
    for attname, has_low, has_high in between:
        column = quote(fields[attname].column)
        if has_low:
            conditions.append(f"locked.{column} >= %s")
        if has_high:
            conditions.append(f"locked.{column} <= %s")
    names = [f"insert_{i}" for i in range(len(inserts))]
    # The lock's row, read once (MATERIALIZED) and locked; ``passed`` has a
    # row when it is as expected, and each insert writes a row per row of it.
    template = (
        "WITH locked AS MATERIALIZED ({}), passed AS (SELECT 1 FROM locked WHERE {}){} "
        "SELECT locked.*, EXISTS (SELECT 1 FROM passed){} FROM locked{}"
    )
    return template.format(
        lock_sql,
        " AND ".join(conditions) or "TRUE",
        "".join(
            f", {name} AS ({_from_passed(sql)})" for name, sql in zip(names, inserts, strict=True)
        ),
        "".join(f", {name}.*" for name in names),
        "".join(f" LEFT JOIN {name} ON TRUE" for name in names),
    )


def _send_guarded(queue: list[_Queued], guard: Guard, connection, *, whole: bool) -> None:
    from psycopg2.extensions import STATUS_READY

    lock, lock_params = guard.lock._params(guard.arguments, connection)
    model = lock.model
    if lock_params is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    fields = {field.attname: field for field in model._meta.concrete_fields}
    condition_params = [
        fields[attname].get_db_prep_value(value, connection)
        for attname, value in guard.equal.items()
    ]
    for low, high in guard.between.values():
        condition_params += [bound for bound in (low, high) if bound is not None]
    shape = (
        lock.sql,
        tuple(guard.equal),
        tuple(
            (attname, low is not None, high is not None)
            for attname, (low, high) in guard.between.items()
        ),
        tuple(item.built.sql for item in queue),
    )
    sql = _guarded_sql.get(shape)
    if sql is None:
        sql = _guarded_sql[shape] = _build_guarded(shape, fields, connection)
    params = [*lock_params, *condition_params, *(p for item in queue for p in item.params)]
    raw = connection.connection
    alone = whole and raw.status == STATUS_READY and not raw.autocommit
    with connection.cursor() as cursor:
        if alone:
            raw.autocommit = True
        try:
            server_statements.execute(connection, cursor, sql, params)
            row = cursor.fetchone()
        finally:
            if alone:
                raw.autocommit = False
    if row is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    width = lock.width
    if not row[width]:
        for item in queue:
            if item.instance is not None:
                item.instance._state.adding = True
                item.instance._state.db = None
        raise GuardFailed(_instance(lock, _converted(lock, row[:width], connection), connection))
    _set_all_returned(queue, row, width + 1, connection)


def _set_returned(instance: Model, built: _Insert, row: list, connection) -> None:
    for position, functions, expression in built.converters:
        for function in functions:
            row[position] = function(row[position], expression, connection)
    for field, value in zip(built.returning, row, strict=True):
        setattr(instance, field.attname, value)


def insert(instance: Model, *, using: str | None = None) -> Model:
    """Insert a new row (``save(force_insert=True)``) with SQL built once per
    model; inside ``together()``, queued until the block ends."""
    model = type(instance)
    using = using or router.db_for_write(model, instance=instance)
    connection = connections[using]
    built = _insert_for(model, connection, with_pk=instance.pk is not None)
    if built is None:
        instance.save(force_insert=True, using=using)
        return instance
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    params = _insert_params(built, instance, connection)
    if params is None:
        # An expression (a database function, a default): Django's own insert.
        _insert_by_django(instance, using)
    else:
        params += built.returning_params
        queue = _queue(using)
        if queue is not None and built.returning:
            queue.append(_Queued(built, params, instance))
            history = _history_for(model, connection, built) if instance.pk is not None else None
            history_params = history and _history_row(history, instance, params, connection)
            if history_params is not None:
                # The history row joins the statement here; simple_history's
                # receiver skips this save (its flag, as for any save it skips).
                queue.append(_Queued(history.insert, history_params, None))
                instance.skip_history_when_saving = True
                try:
                    _post_save_created(model, instance, using)
                finally:
                    del instance.skip_history_when_saving
                return instance
        else:
            with (
                transaction.mark_for_rollback_on_error(using=using),
                connection.cursor() as cursor,
            ):
                server_statements.execute(connection, cursor, built.sql, params)
                row = list(
                    connection.ops.fetch_returned_insert_columns(cursor, built.returning_params)
                )
            _set_returned(instance, built, row, connection)
    _post_save_created(model, instance, using)
    return instance


def _post_save_created(model: type[Model], instance: Model, using: str) -> None:
    instance._state.db = using
    instance._state.adding = False
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
    )


def _insert_by_django(instance: Model, using: str) -> None:
    with transaction.mark_for_rollback_on_error(using=using):
        instance._save_table(cls=type(instance), force_insert=True, using=using)


_updates: dict[tuple[type[Model], tuple[str, ...], str, str], tuple[str, tuple]] = {}


def update(instance: Model, fields, *, using: str | None = None) -> Model:
    """Write these fields of a saved row (``save(update_fields=fields)``), the
    UPDATE built once per model and fields: the same signals and values. A
    value that is an expression is saved by ``save()`` itself."""
    using = using or instance._state.db or router.db_for_write(type(instance), instance=instance)
    statement = update_statement(instance, fields, using=using)
    if statement is None:
        instance.save(update_fields=fields, using=using)
        return instance
    connection = connections[using]
    with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
        server_statements.execute(connection, cursor, *statement)
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    updated(instance, fields, using=using)
    return instance


def update_statement(instance: Model, fields, *, using: str) -> tuple[str, list] | None:
    """``update``'s statement, to be sent by the caller (its ``pre_save``
    sent here; the caller sends ``updated`` once it ran); None when a value
    is an expression (``save()`` must write it)."""
    model = type(instance)
    fields = tuple(fields)
    connection = connections[using]
    meta = model._meta
    key = (model, fields, using, connection.vendor)
    built = _updates.get(key)
    if built is None:
        concrete = tuple(meta.get_field(name) for name in fields)
        quote = connection.ops.quote_name
        # Names from the model, quoted; values are parameters.
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
            quote(meta.db_table),
            ", ".join(f"{quote(field.column)} = %s" for field in concrete),
            quote(meta.pk.column),
        )
        built = _updates[key] = (sql, concrete)
    sql, concrete = built
    pre_save.send(
        sender=model, instance=instance, raw=False, using=using, update_fields=frozenset(fields)
    )
    values = [field.pre_save(instance, False) for field in concrete]
    if any(hasattr(value, "resolve_expression") for value in values):
        return None
    params = [
        field.get_db_prep_save(value, connection=connection)
        for field, value in zip(concrete, values, strict=True)
    ]
    return sql, [*params, meta.pk.get_db_prep_value(instance.pk, connection)]


def updated(instance: Model, fields, *, using: str) -> None:
    """``post_save`` of a row written by ``update_statement``'s statement."""
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=False,
        update_fields=frozenset(fields),
        raw=False,
        using=using,
    )
