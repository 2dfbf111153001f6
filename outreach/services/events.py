"""Events: create, change, cancel, finish, and the reach recorded afterwards."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach import workflow
from outreach.models import Audience, Event, EventSession, ReachEntry, Registration
from outreach.services.notices import enqueue_event_notices
from outreach.services.registrations import promote_waiting, seats_taken

#: Changing one of these on a published event tells its registrants.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "venue_id", "online_url")


@transaction.atomic
def event_create(
    *,
    by,
    title: str,
    kind: str,
    starts_at,
    ends_at,
    audiences: Iterable[Audience] = (),
    **details,
) -> Event:
    """Create an event. ``details`` are further model fields (venue, capacity, …)."""
    event = Event(title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, **details)
    if by is not None and getattr(by, "is_authenticated", False):
        event.created_by = by
    event.full_clean()
    event.save()
    event.audiences.set(audiences)
    return event


@transaction.atomic
def event_save(*, event: Event, by=None) -> Event:
    """Save changes made to ``event`` (in the admin or elsewhere).

    A published event whose time or place changed gets a new schedule version,
    so its registrants are told; more seats promote the waiting list. The
    status changes only through ``workflow.EVENTS`` (``event_publish``,
    ``event_cancel``, ``event_finish``): a save that changes it otherwise is refused.
    """
    if event.pk is None:
        if by is not None and getattr(by, "is_authenticated", False):
            event.created_by = by
        event.full_clean()
        event.save()
        return event
    before = Event.objects.select_for_update().get(pk=event.pk)
    workflow.EVENTS.require_moved(event, before.status)
    event.full_clean()
    if event.capacity is not None and event.capacity != before.capacity:
        taken = seats_taken(event_id=event.pk)
        if event.capacity < taken:
            raise ValidationError(
                {"capacity": _("名额不能少于已确认的%(count)s人。") % {"count": taken}},
                code="capacity_below_taken",
            )
    moved = before.status == Event.Status.PUBLISHED and any(
        getattr(before, field) != getattr(event, field) for field in SCHEDULE_FIELDS
    )
    if moved:
        event.schedule_version = before.schedule_version + 1
    else:
        event.schedule_version = before.schedule_version
    event.save()
    if moved:
        # A moved event deserves a fresh reminder before its new start.
        Registration.objects.filter(event=event).update(reminded_at=None)
    if event.status == Event.Status.PUBLISHED:
        promote_waiting(event=event)
    if moved or (
        event.status == Event.Status.CANCELLED and before.status != Event.Status.CANCELLED
    ):
        enqueue_event_notices(event_id=event.pk)
    return event


@transaction.atomic
def event_publish(*, event: Event, by=None) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    workflow.EVENTS.move(event, to_status=Event.Status.PUBLISHED, actor=workflow.STAFF, by=by)
    return event_save(event=event, by=by)


@transaction.atomic
def event_cancel(*, event: Event, reason: str = "", by=None) -> Event:
    """Cancel an event; its registrants are told by the notice sweep."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    reason = (reason or "").strip()[:200]
    workflow.EVENTS.move(
        event, to_status=Event.Status.CANCELLED, actor=workflow.STAFF, by=by, reason=reason
    )
    event.cancel_reason = reason
    return event_save(event=event, by=by)


@transaction.atomic
def event_delete(*, event: Event, by=None) -> None:
    """Only a draft nobody signed up for may disappear; any other event is
    cancelled instead, so its registrants are told and its figures stay."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.DRAFT or event.registrations.exists():
        raise ValidationError(
            _("只能删除没有报名的草稿活动；其他活动请取消。"), code="not_deletable"
        )
    event.delete()


def _reach_total(event: Event) -> int:
    extra = ReachEntry.objects.filter(event=event).aggregate(
        walk_in=Sum("walk_in"), online=Sum("online")
    )
    return event.checked_in_count + (extra["walk_in"] or 0) + (extra["online"] or 0)


@transaction.atomic
def event_finish(*, event: Event, by=None) -> Event:
    """Close an event after it ended: those who never came become no-shows,
    and the reach is added up from check-ins and the staff's counts."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    workflow.EVENTS.move(event, to_status=Event.Status.FINISHED, actor=workflow.STAFF, by=by)
    if event.ends_at > timezone.now():
        raise ValidationError(_("活动尚未结束。"), code="not_over")
    workflow.REGISTRATIONS.move_many(
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED),
        to_status=Registration.Status.NO_SHOW,
        actor=workflow.SYSTEM,
        by=by,
        reason=_("活动结束时未签到"),
    )
    event.checked_in_count = (
        Registration.objects.filter(event=event).aggregate(total=Sum("attended_count"))["total"]
        or 0
    )
    event.reach_total = _reach_total(event)
    event.save(update_fields=["status", "checked_in_count", "reach_total", "updated_at"])
    return event


@transaction.atomic
def reach_record(
    *, event: Event, audience: Audience, walk_in: int = 0, online: int = 0, by=None
) -> ReachEntry:
    """Record (or correct) the walk-in and online audience of one group."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at > timezone.now():
        raise ValidationError(_("活动开始后才能登记受众人次。"), code="not_started")
    if walk_in < 0 or online < 0:
        raise ValidationError(_("人数不能为负数。"), code="negative")
    entry, _created = ReachEntry.objects.get_or_create(event=event, audience=audience)
    entry.walk_in = walk_in
    entry.online = online
    entry.full_clean()
    entry.save()
    event_refresh_reach(event=event)
    return entry


@transaction.atomic
def reach_delete(*, entry: ReachEntry, by=None) -> None:
    """Remove one group's audience count; a finished event's reach is added up again."""
    event = Event.objects.select_for_update().get(pk=entry.event_id)
    if by is not None:
        entry._history_user = by
    entry.delete()
    event_refresh_reach(event=event)


def event_refresh_reach(*, event: Event) -> None:
    """Recompute the reach of a finished event (after its counts were edited)."""
    if event.status != Event.Status.FINISHED:
        return
    event.reach_total = _reach_total(event)
    event.save(update_fields=["reach_total", "updated_at"])


@transaction.atomic
def event_add_session(
    *, event: Event, starts_at, ends_at, title: str = "", venue=None, by=None
) -> EventSession:
    """Add a meeting to a course; the event's span follows its sessions."""
    session = EventSession(
        event=event, title=title, starts_at=starts_at, ends_at=ends_at, venue=venue
    )
    session.full_clean()
    session.save()
    event_sync_sessions(event=event, by=by)
    return session


@transaction.atomic
def event_sync_sessions(*, event: Event, by=None) -> Event:
    """Make a course's start and end span its sessions."""
    sessions = list(event.sessions.order_by("starts_at"))
    if not sessions:
        return event
    event = Event.objects.get(pk=event.pk)
    event.starts_at = sessions[0].starts_at
    event.ends_at = max(session.ends_at for session in sessions)
    return event_save(event=event, by=by)
