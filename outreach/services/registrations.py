"""Sign-ups: create, cancel, promote from the waiting list, check in.

Every change that moves seats locks the event row first (``_lock_event``), so
two sign-ups for the last seat are decided one after the other and the event
is never overbooked. The seats taken are the event's own counter
(``Event.seats_held``, kept by the database's triggers on every change of a
sign-up), read with the locked row: a sign-up decides its seat from that one
row, and its insert moves the counter before the lock is let go.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kexie.platform.lib.prepared import Guard, GuardFailed, Prepared, guarded, insert, together
from kexie.platform.lib.validators import normalize_phone, validate_mobile
from kexie.platform.outbox.services import message_language, notification_save_new
from kexie.platform.privacy.services import consent_record
from outreach import workflow
from outreach.models import Event, Registration
from outreach.services.notices import (
    enqueue_event_notices,
    notify_registrant,
    registrant_notifications,
)


def _duplicate_phone() -> ValidationError:
    return ValidationError(
        {"phone": ValidationError(_("这个手机号码已经报名了本活动。"), code="duplicate_phone")}
    )


def is_duplicate_phone(error: ValidationError) -> bool:
    return any(
        item.code == "duplicate_phone" for item in getattr(error, "error_dict", {}).get("phone", [])
    )


def _lock_event(event_id: int) -> Event:
    """The event's row, locked until the transaction ends."""
    return Event.objects.select_for_update().get(pk=event_id)


# What decides a seat under the lock: whether the event takes sign-ups
# (``_check_event_accepts``), its party limit, its seats, and the schedule the
# receipt was rendered with.
_SEAT_FIELDS = (
    "status",
    "capacity",
    "max_party_size",
    "signup_opens_at",
    "signup_closes_at",
    "starts_at",
    "schedule_version",
    "seats_held",
)

# What a seat is decided on besides the seats held.
_DECIDING_FIELDS = tuple(name for name in _SEAT_FIELDS if name != "seats_held")
# Sign-ups decided on a row read before the lock, checked under it
# (``_sign_up_in_one_statement``), before the usual way is taken.
_GUARDED_ATTEMPTS = 3

# Their SQL is built once (kexie.platform.lib.prepared): the lock runs on every sign-up.
_LOCK_FOR_SEAT = Prepared(
    lambda pk: Event.objects.select_for_update().filter(pk=pk).only(*_SEAT_FIELDS).order_by()
)
# On PostgreSQL the same row and the id of the sign-up to insert, taken from
# its sequence in the same round trip: with the id known, the sign-up, its
# history row, its receipt and its consent are inserted in one statement
# (``prepared.together``). A sign-up refused after it leaves a gap in the ids,
# as a refused insert does.
_LOCK_FOR_SEAT_WITH_ID = Prepared(
    lambda pk: (
        Event.objects.select_for_update()
        .filter(pk=pk)
        .only(*_SEAT_FIELDS)
        .annotate(next_registration_id=Registration.next_id())
        .order_by()
    )
)
_SEATS_TAKEN = Prepared(
    lambda event_id: Event.objects.filter(pk=event_id).values_list("seats_held").order_by()
)


def _lock_event_for_seat(event_id: int) -> Event:
    """The event's row, locked until the transaction ends, with the columns
    that decide a seat only; on PostgreSQL with ``next_registration_id``, the
    id the sign-up is inserted with."""
    lock = _LOCK_FOR_SEAT_WITH_ID if connection.vendor == "postgresql" else _LOCK_FOR_SEAT
    event = lock.first(pk=event_id)
    if event is None:
        raise Event.DoesNotExist
    return event


def seats_taken(*, event_id: int) -> int:
    """The people the event's seated sign-ups bring, as the database counts
    them now (this transaction's own changes included)."""
    return _SEATS_TAKEN.value(event_id=event_id) or 0


def party_limit(event: Event) -> int:
    """The most people one sign-up may bring: the event's party limit, and
    never more than its seats (a party larger than the hall would wait
    forever)."""
    if event.capacity is None:
        return event.max_party_size
    return max(1, min(event.max_party_size, event.capacity))


def party_size_help(event: Event, *, seats_left: int | None = None) -> str:
    """What the party-size field says, in words that match the limits."""
    limit = party_limit(event)
    if limit == 1:
        return _("本活动每次报名限1人。")
    if seats_left is not None and 0 < seats_left < limit:
        return ngettext(
            "含随行的孩子或家人，每次最多%(max)s人；目前只剩%(left)s个名额。",
            "含随行的孩子或家人，每次最多%(max)s人；目前只剩%(left)s个名额。",
            seats_left,
        ) % {"max": limit, "left": seats_left}
    return _("含随行的孩子或家人，每次最多%(max)s人。") % {"max": limit}


def _party_size_error(party_size, *, event: Event) -> str | None:
    if party_size is None or str(party_size).strip() == "":
        return _("请填写参加人数。")
    try:
        size = int(party_size)
    except (TypeError, ValueError):
        return _("参加人数请填写整数，例如 2。")
    if size < 1:
        return _("人数至少为1。")
    limit = party_limit(event)
    if size > limit:
        if limit == 1:
            return _("本活动每次报名限1人。")
        return _("每次报名最多%(max)s人。") % {"max": limit}
    return None


def seats_short(*, left: int, asked: int) -> ValidationError:
    """Fewer seats than the party: the registrant chooses (``left`` people,
    or everyone on the waiting list). ``params`` carry both numbers."""
    if left > 0:
        # Counted by the seats left: English says "1 place" and "just 1 person".
        message = ngettext(
            "只剩%(left)s个名额，不够%(asked)s人。可以只报名%(left)s人，"
            "或者%(asked)s人全部进入候补名单。",
            "只剩%(left)s个名额，不够%(asked)s人。可以只报名%(left)s人，"
            "或者%(asked)s人全部进入候补名单。",
            left,
        )
    else:
        message = _(
            "名额刚刚报满了。可以%(asked)s人全部进入候补名单，有人取消时按先后顺序转正并通知您。"
        )
    return ValidationError(message, code="seats_short", params={"left": left, "asked": asked})


def _check_sign_up_fields(*, event: Event, name: str, phone: str, party_size) -> None:
    """Every field error at once, so the form shows them together."""
    errors = sign_up_field_errors(event=event, name=name, phone=phone, party_size=party_size)
    if errors:
        raise ValidationError(errors, code="invalid")


def sign_up_field_errors(*, event: Event, name: str, phone: str, party_size) -> dict[str, list]:
    """The name, phone and party size's errors, by field (none: ``{}``); what
    ``registration_create`` refuses before it looks at the seats."""
    name = (name or "").strip()
    phone = normalize_phone(phone or "")
    errors = {}
    if not name:
        errors["name"] = [_("请填写姓名。")]
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    party_error = _party_size_error(party_size, event=event)
    if party_error:
        errors["party_size"] = [party_error]
    return errors


def _seat_for(
    event: Event, size: int, *, now, enforce_window: bool, waitlist_when_short: bool
) -> str | None:
    """The status a sign-up of ``size`` people gets on the event's row as
    given (``_SEAT_FIELDS``): confirmed while seats last, else waitlisted;
    None when the party does not fit the seats still left and is to be asked
    (``seats_short``). Raises the event's refusals and the party limit's
    (which may have changed since the form was checked)."""
    _check_event_accepts(event, now=now, enforce_window=enforce_window)
    party_error = _party_size_error(size, event=event)
    if party_error:
        raise ValidationError({"party_size": [party_error]}, code="invalid")
    free = event.capacity - event.seats_held
    # A party that does not fit the seats still left is asked; a full event
    # has no choice to offer but its waiting list.
    if size > free > 0 and not waitlist_when_short:
        return None
    return Registration.Status.CONFIRMED if size <= free else Registration.Status.WAITLISTED


def _check_event_accepts(event: Event, *, now, enforce_window: bool) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("本活动已取消，不能报名。"), code="event_cancelled")
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("本活动不接受报名。"), code="event_closed")
    if not event.needs_signup:
        raise ValidationError(_("本活动无需报名，欢迎直接参加。"), code="no_signup")
    if not enforce_window:
        return
    if event.signup_opens_at and now < event.signup_opens_at:
        opens = date_format(timezone.localtime(event.signup_opens_at), "Y-m-d H:i")
        raise ValidationError(
            _("报名尚未开始，将于%(time)s开始。") % {"time": opens}, code="not_open"
        )
    if now >= event.signup_deadline:
        raise ValidationError(_("报名已截止。"), code="closed")


def registration_create(
    *,
    event: Event,
    name: str,
    phone: str,
    party_size: int,
    email: str = "",
    user=None,
    enforce_window: bool = True,
    notify: bool = True,
    waitlist_when_short: bool = True,
    consent_notice: str = "",
    language: str = "",
) -> Registration:
    """Sign up for an event: confirmed while seats last, else on the waiting list.

    With ``waitlist_when_short=False`` (the sign-up forms) a party that does
    not fit the seats that are left is refused with ``seats_short``, which
    says how many are left, so the registrant chooses: fewer people, or the
    waiting list for all (sent again with ``waitlist_when_short=True``). An
    event that is already full puts the sign-up on its waiting list, and the
    receipt and the private page say so.

    ``enforce_window=False`` lets staff enter a sign-up taken by phone or on
    paper outside the online window; ``notify=False`` imports a sign-up
    without texting its receipt. ``consent_notice``: the privacy notice the
    registrant submitted under, recorded as their consent with the sign-up.
    ``language``: the sign-up page's, which its messages are written in
    (Chinese when not given).

    The event's row is locked only for what decides the seat: the seats taken,
    the insert and the receipt's insert (rendered before the lock). Every
    check that does not depend on the seats runs before it. A phone already
    signed up is refused by the database's unique constraint on the insert
    (then looked up, to say so), so a sign-up makes no query for it.
    """
    now = timezone.now()
    name = (name or "").strip()
    phone = normalize_phone(phone or "")
    email = (email or "").strip().lower()
    _check_sign_up_fields(event=event, name=name, phone=phone, party_size=party_size)
    size = int(party_size)
    registration = Registration(
        event=event,
        user=user if user is not None and user.is_authenticated else None,
        name=name,
        phone=phone,
        email=email,
        party_size=size,
        status=Registration.Status.CONFIRMED,
        created_at=now,
        language=message_language(language),
    )
    # The event and the user are not looked up (the event is locked below,
    # the user is the one signed in), nor is the code's uniqueness (128
    # random bits): the database checks all three on insert.
    registration.full_clean(
        exclude=["event", "user"], validate_unique=False, validate_constraints=False
    )
    # Checked again under the lock, on the event as it is then.
    _check_event_accepts(event, now=now, enforce_window=enforce_window)
    # The id read with the event (``selectors.event_to_sign_up``), one sign-up's.
    registration_id = event.__dict__.pop("next_registration_id", None)
    try:
        if registration_id is not None and _sign_up_in_one_statement(
            registration,
            event=event,
            registration_id=registration_id,
            now=now,
            enforce_window=enforce_window,
            waitlist_when_short=waitlist_when_short,
            notify=notify,
            consent_notice=consent_notice,
        ):
            return registration
        receipts = (
            _render_receipts(registration, waitlisted=_likely_waitlisted(event.pk))
            if notify
            else None
        )
        # On PostgreSQL the inserts go in one round trip as the block ends.
        with transaction.atomic(), together():
            _seat_and_save(
                registration,
                now=now,
                enforce_window=enforce_window,
                waitlist_when_short=waitlist_when_short,
                receipts=receipts,
                receipts_version=event.schedule_version,
            )
            if consent_notice:
                consent_record(notice_key=consent_notice, record=registration)
    except IntegrityError:
        # The same phone is signed up already (or in the meantime): the
        # unique constraint refused the second insert.
        if _has_active_sign_up(event_id=event.pk, phone=phone):
            raise _duplicate_phone() from None
        raise
    return registration


def _sign_up_in_one_statement(
    registration: Registration,
    *,
    event: Event,
    registration_id: int,
    now,
    enforce_window: bool,
    waitlist_when_short: bool,
    notify: bool,
    consent_notice: str,
) -> bool:
    """The seat decided on the event's row as read before the lock (its
    seats held included), then, in one statement, the lock, a check that the
    locked row decides the same (``_seats_held_deciding``: every deciding
    column as read, the seats held within the range that gives this seat),
    and the inserts (``prepared.guarded``); outside a transaction that
    statement is the whole transaction, one round trip. The seat is decided
    by ``_seat_for`` in both ways, so a sign-up gets the seat it would get
    under the lock. When only the seats held decide otherwise now (taken
    meanwhile), decided again on the row as locked; False when that keeps
    failing, when anything else of the event changed, when the seat is
    refused or asked about (answered under the lock, as before), or when the
    row read lacks a deciding column: then the caller signs up the usual
    way, nothing written."""
    if event.get_deferred_fields() & set(_SEAT_FIELDS):
        return False
    decided_on = event
    for _attempt in range(_GUARDED_ATTEMPTS):
        try:
            status = _seat_for(
                decided_on,
                registration.party_size,
                now=now,
                enforce_window=enforce_window,
                waitlist_when_short=waitlist_when_short,
            )
        except ValidationError:
            return False
        if status is None:
            return False
        registration.pk = registration_id
        registration.status = status
        registration.notified_version = decided_on.schedule_version
        waitlisted = status == Registration.Status.WAITLISTED
        receipts = _render_receipts(registration, waitlisted=waitlisted) if notify else None
        guard = Guard(
            _LOCK_FOR_SEAT,
            {"pk": event.pk},
            equal={name: getattr(decided_on, name) for name in _DECIDING_FIELDS},
            between={
                "seats_held": _seats_held_deciding(
                    status,
                    capacity=decided_on.capacity,
                    size=registration.party_size,
                    waitlist_when_short=waitlist_when_short,
                )
            },
        )
        try:
            with guarded(guard):
                insert(registration)
                if receipts is not None:
                    for notification in receipts.notifications:
                        notification.dedupe_key = notification.dedupe_key.format(pk=registration_id)
                        notification_save_new(notification)
                if consent_notice:
                    consent_record(notice_key=consent_notice, record=registration)
        except GuardFailed as failed:
            if any(getattr(failed.row, name) != getattr(event, name) for name in _DECIDING_FIELDS):
                # The event itself changed (its schedule: the receipt's
                # wording and the notice that follows it): the usual way.
                return False
            decided_on = failed.row
            continue
        if receipts is not None:
            _last_waitlisted[event.pk] = waitlisted
        return True
    return False


def _seats_held_deciding(
    status: str, *, capacity: int, size: int, waitlist_when_short: bool
) -> tuple[int | None, int | None]:
    """The seats held (inclusive bounds, None for none) for which
    ``_seat_for`` gives ``status`` to a party of ``size``, the event's other
    deciding columns as they are."""
    if status == Registration.Status.CONFIRMED:
        return None, capacity - size
    # Waitlisted: the party does not fit, and, unless it asked for the
    # waiting list, not one seat is left (else it is asked first).
    return (capacity - size + 1 if waitlist_when_short else capacity), None


def _has_active_sign_up(*, event_id: int, phone: str) -> bool:
    return Registration.objects.filter(
        event_id=event_id, phone=phone, status__in=Registration.ACTIVE_STATUSES
    ).exists()


def _seat_and_save(
    registration: Registration,
    *,
    now,
    enforce_window: bool,
    waitlist_when_short: bool,
    receipts: "_Receipts | None",
    receipts_version: int,
) -> None:
    """Under the event's lock: decide the seat, insert the sign-up and its
    receipts. The caller's transaction ends the lock.

    ``receipts_version`` is the schedule the receipts were rendered with: if
    the event moved since, the move's notice follows them."""
    event = _lock_event_for_seat(registration.event_id)
    size = registration.party_size
    # The counter as the locked row has it: no sign-up changes it until this
    # transaction ends.
    status = _seat_for(
        event, size, now=now, enforce_window=enforce_window, waitlist_when_short=waitlist_when_short
    )
    if status is None:
        # A phone signed up already hears that first, as on any other event.
        if _has_active_sign_up(event_id=event.pk, phone=registration.phone):
            raise _duplicate_phone()
        raise seats_short(left=event.capacity - event.seats_held, asked=size)
    registration.status = status
    registration.notified_version = event.schedule_version if receipts is None else receipts_version
    registration.pk = getattr(event, "next_registration_id", None)
    insert(registration)
    if receipts is None:
        return
    waitlisted = registration.status == Registration.Status.WAITLISTED
    _last_waitlisted[event.pk] = waitlisted
    if receipts.waitlisted != waitlisted:
        # Rendered in the other wording (the seats changed meanwhile): the
        # one that applies is rendered now, under the lock.
        receipts = _render_receipts(registration, waitlisted=waitlisted)
    for notification in receipts.notifications:
        notification.dedupe_key = notification.dedupe_key.format(pk=registration.pk)
        notification_save_new(notification)


@dataclass(frozen=True)
class _Receipts:
    waitlisted: bool
    notifications: list


# Whether each event's last sign-up in this process was waitlisted. A storm's
# sign-ups are seated while seats last, then waitlisted, so the next one most
# likely goes the same way: its receipt is rendered before the lock in that
# wording, and again under the lock only when the seats decide otherwise.
_last_waitlisted: dict[int, bool] = {}
_LAST_WAITLISTED_KEPT = 1000


def _likely_waitlisted(event_id: int) -> bool:
    if len(_last_waitlisted) > _LAST_WAITLISTED_KEPT:
        _last_waitlisted.clear()
    return _last_waitlisted.get(event_id, False)


def _render_receipts(registration: Registration, *, waitlisted: bool) -> _Receipts:
    """The sign-up's receipts in one wording, confirmed or waitlisted, not saved."""
    return _Receipts(
        waitlisted,
        registrant_notifications(
            registration,
            template="outreach-signup",
            occasion="signup",
            context={"waitlisted": waitlisted},
        ),
    )


def cancel_cutoff(event: Event):
    return event.starts_at - timedelta(hours=settings.OUTREACH_CANCEL_CUTOFF_HOURS)


def promote_waiting(*, event: Event) -> list[Registration]:
    """Confirm the oldest waiting sign-ups that fit the free seats.

    The caller holds the lock on ``event``. A large party that does not fit
    keeps its place while smaller ones behind it may move up.
    """
    if event.capacity is None or event.status != Event.Status.PUBLISHED:
        return []
    free = event.capacity - seats_taken(event_id=event.pk)
    if free <= 0:
        return []
    now = timezone.now()
    promoted = []
    waiting = Registration.objects.filter(
        event=event, status=Registration.Status.WAITLISTED
    ).order_by("created_at", "pk")
    for registration in waiting:
        if registration.party_size > free:
            continue
        workflow.REGISTRATIONS.move(
            registration,
            to_status=Registration.Status.CONFIRMED,
            actor=workflow.SYSTEM,
            reason=_("候补转正"),
        )
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        promoted.append(registration)
        free -= registration.party_size
        if free == 0:
            break
    if promoted:
        enqueue_event_notices(event_id=event.pk)
    return promoted


@transaction.atomic
def registration_cancel(
    *, registration: Registration, by_registrant: bool, by=None
) -> list[Registration]:
    """Cancel a sign-up and promote whoever now fits; returns those promoted.

    Registrants may cancel until the cut-off before the start; staff any time.
    """
    event = _lock_event(registration.event_id)
    registration.refresh_from_db()
    actor = workflow.REGISTRANT if by_registrant else workflow.STAFF
    workflow.REGISTRATIONS.check(
        from_status=registration.status, to_status=Registration.Status.CANCELLED, actor=actor
    )
    if by_registrant and timezone.now() >= cancel_cutoff(event):
        raise ValidationError(
            _("活动开始前%(hours)s小时内不能在线取消，请联系主办方。")
            % {"hours": settings.OUTREACH_CANCEL_CUTOFF_HOURS},
            code="too_late",
        )
    workflow.REGISTRATIONS.move(
        registration, to_status=Registration.Status.CANCELLED, actor=actor, by=by
    )
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    notify_registrant(registration, template="outreach-cancelled", occasion="cancelled")
    return promote_waiting(event=event)


@transaction.atomic
def registration_check_in(*, registration: Registration, count: int, by=None) -> Registration:
    """Record how many of the party are present (0 undoes the check-in)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.ATTENDED:
        # May this sign-up be checked in at all? The table's refusals say why not.
        workflow.REGISTRATIONS.check(
            from_status=registration.status,
            to_status=Registration.Status.ATTENDED,
            actor=workflow.STAFF,
        )
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise ValidationError(_("签到人数请填写整数。"), code="count") from None
    if not 0 <= count <= registration.party_size:
        raise ValidationError(
            _("签到人数应在0到%(max)s之间。") % {"max": registration.party_size}, code="count"
        )
    registration.attended_count = count
    status = Registration.Status.ATTENDED if count else Registration.Status.CONFIRMED
    if status != registration.status:
        workflow.REGISTRATIONS.move(registration, to_status=status, actor=workflow.STAFF, by=by)
    if count:
        registration.checked_in_at = registration.checked_in_at or timezone.now()
    else:
        registration.checked_in_at = None
    registration.full_clean(validate_constraints=False)
    registration.save(update_fields=["attended_count", "status", "checked_in_at"])
    return registration
