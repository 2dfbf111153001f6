"""Writing to the outbox and delivering from it."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kexie.platform.lib import server_statements
from kexie.platform.lib.after_commit import redis_client, redis_on_commit
from kexie.platform.lib.prepared import Prepared, insert, update, update_statement, updated
from kexie.platform.lib.site import site_name_lazy
from kexie.platform.outbox.models import SECRET_MARK, Notification
from kexie.platform.outbox.sms import get_sms_backend

log = logging.getLogger(__name__)

# How often the periodic sweep runs (its schedule in kexie/celery.py).
SWEEP_PERIOD_SECONDS = 60
# A drain that was asked for but has not given the request up within this
# time is asked for again by the next new row (its task may have been lost).
DRAIN_WAKE_SECONDS = 60
# How often a drain with nothing to send looks for new rows while it lingers.
DRAIN_POLL_SECONDS = 0.05


def message_language(language: str | None) -> str:
    """The language a message is written in: the recipient's when it is one
    the site speaks, else the site's own (Chinese)."""
    supported = any(language == code for code, _name in settings.LANGUAGES)
    return language if supported else settings.LANGUAGE_CODE


def _render(template: str, context: dict, *, channel: str, language: str | None) -> dict:
    with translation.override(message_language(language)):
        if channel == Notification.Channel.SMS:
            return {"body": render_to_string(f"sms/{template}.txt", context).strip()}
        subject = render_to_string(f"emails/{template}-subject.txt", context)
        body = render_to_string(f"emails/{template}-body.txt", context)
        try:
            body_html = render_to_string(f"emails/{template}-body.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    return {"subject": " ".join(subject.split())[:200], "body": body, "body_html": body_html}


def notification_build(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict,
    dedupe_key: str | None = None,
    secret: str = "",
    language: str | None = None,
) -> Notification:
    """A message rendered and ready for the outbox, not saved yet (see
    ``notification_save_new``): a caller that holds a lock renders before it.
    Written in ``language`` (the recipient's), Chinese when it is unknown."""
    context = {"site_name": site_name_lazy(), "site_url": settings.SITE_URL, **context}
    if secret:
        context["secret"] = SECRET_MARK
    return Notification(
        channel=channel,
        recipient=recipient,
        dedupe_key=dedupe_key,
        secret=secret,
        **_render(template, context, channel=channel, language=language),
    )


def notification_save_new(notification: Notification) -> Notification:
    """Write a built message whose occasion is new (its dedupe key names a row
    written in this same transaction): no lookup, delivered on commit by the
    channel's drain (``outbox_wake``), so that a storm of them is sent by a
    few tasks, not one task each."""
    insert(notification)
    outbox_wake_on_commit(notification.channel)
    return notification


def notification_create(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict,
    dedupe_key: str | None = None,
    secret: str = "",
    language: str | None = None,
) -> Notification:
    """Write a message to the outbox; it is delivered once the transaction commits.

    With a ``dedupe_key``, the occasion is notified at most once: a second call
    returns the row the first one wrote. A ``secret`` (a code, a token) is
    rendered as ``{{ secret }}`` at delivery only: the stored bodies, which
    staff can read, hold ``SECRET_MARK`` instead. ``language``: the recipient's
    (``notification_build``).
    """
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    notification = notification_build(
        channel=channel,
        recipient=recipient,
        template=template,
        context=context,
        dedupe_key=dedupe_key,
        secret=secret,
        language=language,
    )
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        # A concurrent call wrote the same occasion first.
        if dedupe_key:
            return Notification.objects.get(dedupe_key=dedupe_key)
        raise
    transaction.on_commit(lambda: enqueue_delivery(notification.pk, notification.channel))
    return notification


def user_reachable(user) -> bool:
    """Whether ``notify_user`` has an address for this user: a proven e-mail or phone
    (an address typed at registration stays pending, unused, until it is verified)."""
    return bool(user.email or user.phone)


def notify_user(user, *, template: str, context: dict, dedupe_key: str | None = None):
    """Notify a user by e-mail when they have an address, else by SMS, in the
    account's language."""
    if user.email:
        return notification_create(
            channel=Notification.Channel.EMAIL,
            recipient=user.email,
            template=template,
            context={"user": user, **context},
            dedupe_key=dedupe_key,
            language=user.language,
        )
    if user.phone:
        return notification_create(
            channel=Notification.Channel.SMS,
            recipient=user.phone,
            template=template,
            context={"user": user, **context},
            dedupe_key=dedupe_key,
            language=user.language,
        )
    return None


def _delivery_task(channel: str):
    from kexie.platform.outbox import tasks

    return tasks.deliver_sms if channel == Notification.Channel.SMS else tasks.deliver_email


def enqueue_delivery(notification_id: int, channel: str, *, expires: int | None = None) -> bool:
    """Hand a row to its channel's workers. Never raises: the sweep catches
    what is lost. Returns whether it was handed over."""
    try:
        _delivery_task(channel).apply_async((notification_id,), expires=expires)
    except Exception:
        log.warning(
            "Could not enqueue notification %s; the sweep will deliver it",
            notification_id,
            exc_info=True,
        )
        return False
    return True


def _wake_key(channel: str) -> str:
    return f"outbox:drain-asked:{channel}"


def _drain_task(channel: str):
    from kexie.platform.outbox import tasks

    return tasks.drain_sms if channel == Notification.Channel.SMS else tasks.drain_email


def outbox_wake(channel: str) -> bool:
    """Make sure a drain of the channel runs after the rows committed so far.

    One Redis command (``SET NX``) per call; a drain task is published only
    when no drain holds the request yet, so a storm of sign-ups publishes a
    handful of tasks, not one per receipt. Correct because a drain gives the
    request up (deletes the key) *before* its last look for rows: a row
    committed before a refused ``SET NX`` is seen by the drain that held the
    key. Never raises: with Redis away, the periodic sweep delivers the rows.
    Returns whether a drain is asked for."""
    key = _wake_key(channel)
    try:
        asked = cache.add(key, 1, timeout=DRAIN_WAKE_SECONDS)
    except Exception as exc:
        asked = exc
    return _drain_asked(channel, asked)


def outbox_wake_on_commit(channel: str) -> None:
    """``outbox_wake`` when the transaction commits; with Redis, its ``SET NX``
    goes in the commit's one round trip with the other commands of the
    transaction (``after_commit.redis_on_commit``)."""
    backend = caches["default"]
    if redis_client() is None:
        transaction.on_commit(lambda: outbox_wake(channel))
        return
    # What ``cache.add(key, 1, timeout=DRAIN_WAKE_SECONDS)`` sends (an int is
    # stored as it is).
    key = backend.make_and_validate_key(_wake_key(channel))
    redis_on_commit(
        lambda pipe: pipe.set(key, 1, nx=True, ex=DRAIN_WAKE_SECONDS),
        lambda results: _drain_asked(
            channel, results[0] if isinstance(results[0], Exception) else bool(results[0])
        ),
    )


def _drain_asked(channel: str, asked: "bool | Exception") -> bool:
    """After the ``SET NX`` of the channel's request: publish a drain when this
    call took the request (``asked``), nothing when a drain holds it."""
    if isinstance(asked, Exception):
        log.warning("Could not ask for the %s drain; the sweep delivers", channel, exc_info=asked)
        return False
    if not asked:
        return True
    try:
        _drain_task(channel).apply_async()
    except Exception:
        log.warning("Could not enqueue the %s drain; the sweep delivers", channel, exc_info=True)
        _give_up_request(channel)
        return False
    return True


def _give_up_request(channel: str) -> None:
    try:
        cache.delete(_wake_key(channel))
    except Exception:
        # The key expires by itself (DRAIN_WAKE_SECONDS).
        log.warning("Could not forget the %s drain request", channel, exc_info=True)


def _new_row(channel: str) -> Prepared:
    """The channel's oldest new row that is due and no one else holds, locked:
    what a drain sends next (its SQL built once, kexie.platform.lib.prepared)."""
    return Prepared(
        lambda now: _new_rows(channel, now)[:1],
        datetimes=("now",),
    )


def _new_row_after(channel: str) -> Prepared:
    """The same, among the rows after (``next_attempt_at``, id) of the row the
    drain took last: its scan starts there instead of at the index's first
    entry. Each row sent leaves a dead entry in the pending index until
    PostgreSQL cleans it up, and a look from the first entry steps over
    every one of them (a storm's receipts, once for each receipt sent)."""
    return Prepared(
        lambda now, after_time, after_pk: (
            _new_rows(channel, now)
            .filter(next_attempt_at__gte=after_time)
            .filter(Q(next_attempt_at__gt=after_time) | Q(pk__gt=after_pk))[:1]
        ),
        datetimes=("now", "after_time"),
    )


def _new_rows(channel: str, now):
    return (
        Notification.objects.select_for_update(skip_locked=True)
        .filter(
            status=Notification.Status.PENDING,
            next_attempt_at__lte=now,
            channel=channel,
            attempts=0,
        )
        .order_by("next_attempt_at", "pk")
    )


_NEW_ROW = {channel: _new_row(channel) for channel in Notification.Channel.values}
_NEW_ROW_AFTER = {channel: _new_row_after(channel) for channel in Notification.Channel.values}

# A drain that finds nothing after the row it took last looks at every row at
# most this often while it runs (and always before it stops): a row written
# just before the last one taken but committed after it waits no longer.
DRAIN_FULL_LOOK_SECONDS = 1.0


def _deliver_next(channel: str, *, after: tuple | None = None) -> tuple[bool, tuple] | None:
    """Send the channel's oldest new row no one else holds (after the row
    ``after`` names, when given), in its own transaction and under its row's
    lock as ``notification_deliver`` does. Returns whether it was sent and
    the row's place (``after`` for the next call); None when there is none."""
    now = timezone.now()
    with transaction.atomic():
        if after is None:
            notification = _NEW_ROW[channel].first(now=now)
        else:
            notification = _NEW_ROW_AFTER[channel].first(
                now=now, after_time=after[0], after_pk=after[1]
            )
        if notification is None:
            return None
        place = (notification.next_attempt_at, notification.pk)
        return _attempt(notification, now=now), place


class _Chained:
    """A drain's rows on PostgreSQL, outside any transaction, each taken and
    sent as ``_deliver_next`` does (its own transaction, its row locked while
    it is sent, marked sent before the next row is taken) in one round trip
    instead of four: the previous row's ``UPDATE`` and ``COMMIT`` go with
    the next row's ``BEGIN`` and locking read. psycopg2 stays in autocommit,
    so it sends no ``BEGIN`` or ``COMMIT`` of its own; nothing else may use
    the connection while a row is sent (a transaction opened there would
    end this one). ``finish`` commits the last row sent."""

    def __init__(self, channel: str, connection):
        self.channel = channel
        self.connection = connection
        # The last row sent, its UPDATE not sent yet.
        self.sent: tuple[Notification, tuple[str, list]] | None = None

    @staticmethod
    def usable(connection) -> bool:
        return (
            connection.vendor == "postgresql"
            and not connection.in_atomic_block
            and connection.get_autocommit()
        )

    def take(self, *, after: tuple | None = None) -> tuple[bool, tuple] | None:
        now = timezone.now()
        if after is None:
            query, arguments = _NEW_ROW[self.channel], {"now": now}
        else:
            query = _NEW_ROW_AFTER[self.channel]
            arguments = {"now": now, "after_time": after[0], "after_pk": after[1]}
        lookup = query.statement(**arguments)
        statements = self._finishing()
        statements += ["BEGIN", lookup] if lookup is not None else []
        if not statements:
            return None
        with self.connection.cursor() as cursor:
            try:
                self._send(cursor, statements)
                row = cursor.fetchone() if lookup is not None else None
                if row is None:
                    if lookup is not None:
                        cursor.execute("COMMIT")
                    return None
                notification = query.instance(row)
                place = (notification.next_attempt_at, notification.pk)
                delivered = _attempt(notification, now=now, chained=self)
                if not delivered:
                    # A failure is recorded by ``save()`` in this transaction.
                    cursor.execute("COMMIT")
            except BaseException:
                self._roll_back(cursor)
                raise
        return delivered, place

    def finish(self) -> None:
        """Commit the last row sent."""
        statements = self._finishing()
        if statements:
            with self.connection.cursor() as cursor:
                try:
                    self._send(cursor, statements)
                except BaseException:
                    self._roll_back(cursor)
                    raise

    def close(self) -> None:
        """Commit the last row sent; whatever happened, leave no transaction
        open on the connection (Django believes it is in autocommit)."""
        from psycopg2.extensions import TRANSACTION_STATUS_IDLE

        try:
            self.finish()
        finally:
            raw = self.connection.connection
            if raw is not None and raw.info.transaction_status != TRANSACTION_STATUS_IDLE:
                try:
                    with raw.cursor() as cursor:
                        cursor.execute("ROLLBACK")
                except Exception:
                    self.connection.close()

    def _finishing(self) -> list:
        if self.sent is None:
            return []
        return [self.sent[1], "COMMIT"]

    def _send(self, cursor, statements: list) -> None:
        sent, self.sent = self.sent, None
        server_statements.execute_together(self.connection, cursor, statements)
        if sent is not None:
            updated(sent[0], _SENT_FIELDS, using=self.connection.alias)

    def _roll_back(self, cursor) -> None:
        self.sent = None
        try:
            cursor.execute("ROLLBACK")
        except Exception:
            # A broken connection: the server rolls back as it closes.
            log.warning("Could not roll the drain's transaction back", exc_info=True)


def outbox_drain(
    *, channel: str, budget_seconds: float | None = None, linger_seconds: float = 0
) -> int:
    """Deliver the channel's new rows (never tried yet, due) one after the
    other until none is left; returns how many were sent. Rows already tried
    wait for their retry time and the sweep. Two drains share the work: each
    takes the oldest row the other has not locked.

    While it runs the drain holds the request (``outbox_wake``), so new rows
    ask for no other task; it looks again every ``DRAIN_POLL_SECONDS`` until
    ``linger_seconds`` have passed with nothing new, then gives the request
    up and looks once more. After ``budget_seconds`` (half the task's time
    limit by default) it stops and asks for another drain."""
    if budget_seconds is None:
        budget_seconds = settings.OUTBOX_DELIVERY_TIME_LIMIT / 2
    connection = connections[DEFAULT_DB_ALIAS]
    if not _Chained.usable(connection):
        return _drain(
            channel,
            lambda after=None: _deliver_next(channel, after=after),
            budget_seconds,
            linger_seconds,
        )
    chained = _Chained(channel, connection)
    try:
        return _drain(channel, chained.take, budget_seconds, linger_seconds, chained.finish)
    finally:
        chained.close()


def _drain(channel, deliver_next, budget_seconds, linger_seconds, finish=None) -> int:
    started = idle_since = full_look_at = time.monotonic()
    sent = 0
    after = None
    while time.monotonic() - started < budget_seconds:
        taken = deliver_next(after=after)
        if (
            taken is None
            and after is not None
            and time.monotonic() - full_look_at >= DRAIN_FULL_LOOK_SECONDS
        ):
            full_look_at = time.monotonic()
            taken = deliver_next()
        if taken is not None:
            delivered, after = taken
            sent += delivered
            idle_since = time.monotonic()
            continue
        if time.monotonic() - idle_since < linger_seconds:
            time.sleep(DRAIN_POLL_SECONDS)
            continue
        _give_up_request(channel)
        # Every new row, not only those after the last one taken.
        taken = deliver_next()
        if taken is None:
            return sent
        # A row came in before the request was given up: carry on (a new
        # row may ask for a second drain meanwhile; the two share the rows).
        delivered, after = taken
        sent += delivered
        idle_since = time.monotonic()
    if finish is not None:
        finish()
    _give_up_request(channel)
    outbox_wake(channel)
    return sent


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 24 * 60))


def _with_secret(notification: Notification, text: str) -> str:
    if not notification.secret:
        return text
    return text.replace(SECRET_MARK, notification.secret)


def idempotency_key(notification: Notification) -> str:
    """The same for every attempt at one row: a provider that honours it (an
    SMS gateway's out-id) drops a resend, and mail clients that collapse one
    Message-ID show a resent mail once."""
    return f"kexie-outbox-{notification.pk}-{int(notification.created_at.timestamp())}"


def _send(notification: Notification) -> None:
    key = idempotency_key(notification)
    if notification.channel == Notification.Channel.SMS:
        get_sms_backend().send(
            notification.recipient,
            _with_secret(notification, notification.body),
            idempotency_key=key,
        )
        return
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "kexie.local"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=_with_secret(notification, notification.body),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": f"<{key}@{domain}>"},
    )
    if notification.body_html:
        message.attach_alternative(_with_secret(notification, notification.body_html), "text/html")
    message.send()


def notification_deliver(*, notification_id: int) -> bool:
    """Deliver one row if it is due. Returns whether it was sent now.

    The row stays locked while it is sent, so two workers cannot both send it:
    the second skips it and finds it sent afterwards.
    """
    return bool(_attempt_first_due({"pk": notification_id}))


def _attempt_first_due(filters: dict, *, order: tuple = ()) -> bool | None:
    """Lock the first due, pending row matching ``filters`` that no one else
    holds, and ``_attempt`` it in that transaction; None when there is none."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.PENDING, next_attempt_at__lte=now, **filters)
            .order_by(*order)
            .first()
        )
        if notification is None:
            return None
        return _attempt(notification, now=now)


def _attempt(notification: Notification, *, now, chained: _Chained | None = None) -> bool:
    """Send a row the caller has locked, and record the outcome on it (a
    ``chained`` drain writes that it was sent with its next round trip)."""
    notification.attempts += 1
    try:
        _send(notification)
    except Exception as exc:
        notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            notification.secret = ""
            log.error("Notification %s failed for good: %s", notification.pk, exc)
        else:
            notification.next_attempt_at = now + _backoff(notification.attempts)
            log.warning("Notification %s failed, will retry: %s", notification.pk, exc)
        notification.save(
            update_fields=["attempts", "last_error", "status", "next_attempt_at", "secret"]
        )
        return False
    notification.status = Notification.Status.SENT
    notification.sent_at = now
    notification.secret = ""
    if chained is not None:
        statement = update_statement(notification, _SENT_FIELDS, using=chained.connection.alias)
        if statement is not None:
            chained.sent = (notification, statement)
            return True
    update(notification, _SENT_FIELDS)
    return True


_SENT_FIELDS = ("attempts", "status", "sent_at", "secret")


def notification_retry(*, notification: Notification, by=None) -> Notification:
    """Staff's "send now": a failed row gets its attempts back, a pending one is
    due at once; either is then delivered as the worker would."""
    due = {"next_attempt_at": timezone.now()}
    if notification.status == Notification.Status.FAILED:
        due.update(status=Notification.Status.PENDING, attempts=0)
    elif notification.status != Notification.Status.PENDING:
        raise ValidationError(_("该通知已经发送。"), code="sent")
    Notification.objects.filter(pk=notification.pk, status=notification.status).update(**due)
    # A failed attempt is recorded on the row and retried later, as any other.
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    """Pending rows the sweep should deliver: retries that are due, and rows
    whose task seems lost (older than ``OUTBOX_SWEEP_AFTER_SECONDS``)."""
    now = timezone.now()
    lost_before = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(attempts__gt=0) | Q(created_at__lte=lost_before))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_sweep() -> int:
    """Deliver every due row here and now; returns how many were sent."""
    return sum(notification_deliver(notification_id=pk) for pk in outbox_due_ids())


def outbox_sweep_enqueue() -> int:
    """Hand every due row to its channel's queue (the periodic sweep), so that
    a channel whose peer hangs holds up only its own worker. A task that waits
    longer than a sweep period expires: the next sweep hands the row over
    again, so a backed-up queue does not fill with copies. Rows that cannot be
    handed over (the broker is away) are delivered here. Returns how many
    rows were handed over or sent."""
    due = Notification.objects.filter(pk__in=outbox_due_ids()).values_list("pk", "channel")
    done = 0
    for pk, channel in due:
        if enqueue_delivery(pk, channel, expires=SWEEP_PERIOD_SECONDS):
            done += 1
        else:
            done += notification_deliver(notification_id=pk)
    return done


def outbox_purge(*, older_than_days: int = 180) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Notification.objects.filter(
        status=Notification.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted
