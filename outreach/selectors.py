"""Reads of the outreach app. Each selector fetches what its page shows in a
fixed number of queries, whatever the number of rows."""

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.sql.constants import MULTI
from django.template.loader import render_to_string
from django.utils import timezone

from kexie.platform.lib import pagecache, parts
from kexie.platform.lib.prepared import Prepared
from members.models import Branch, Society, Town
from outreach import upcoming
from outreach.models import (
    Audience,
    Campaign,
    Certificate,
    Event,
    EventRecap,
    EventRecapPhoto,
    EventSession,
    FeedbackInvitation,
    LectureRequest,
    LectureTopic,
    ReachEntry,
    Registration,
    SpeakerTeam,
    Venue,
    VenuePhoto,
)


def _sum_of_party(statuses) -> Subquery:
    return Subquery(
        Registration.objects.filter(event=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("event")
        .annotate(total=Sum("party_size"))
        .values("total"),
        output_field=IntegerField(),
    )


# Built once: an expression is copied, never changed, by each query it is
# added to, and building the subquery cost a millisecond a list. The seats
# taken are the event's own counter (``Event.seats_held``, kept by the
# database), not a sum over its sign-ups made again for every row.
_SEATS = {
    "seats_taken": F("seats_held"),
    "waiting": Coalesce(_sum_of_party([Registration.Status.WAITLISTED]), 0),
}


def with_seats(queryset: QuerySet) -> QuerySet:
    """Annotate ``seats_taken`` and ``waiting`` (people on the waiting list)."""
    return queryset.annotate(**_SEATS)


def seats_left(event: Event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.seats_taken, 0)


def events_public() -> QuerySet:
    """Events a visitor may see, with what the list and detail pages show."""
    return with_seats(
        Event.objects.filter(status__in=Event.PUBLIC_STATUSES)
        .select_related("venue__town", "campaign", "society", "branch", "cover", "poster")
        .prefetch_related("audiences")
    )


def _upcoming(queryset: QuerySet, now: datetime | None) -> QuerySet:
    return queryset.filter(
        status__in=(Event.Status.PUBLISHED, Event.Status.CANCELLED),
        ends_at__gte=now or timezone.now(),
    ).order_by("starts_at", "pk")


def _past(queryset: QuerySet, now: datetime | None) -> QuerySet:
    return queryset.filter(
        Q(status=Event.Status.FINISHED)
        | Q(status__in=Event.PUBLIC_STATUSES, ends_at__lt=now or timezone.now())
    ).order_by("-starts_at", "-pk")


def events_upcoming(*, now: datetime | None = None) -> QuerySet:
    return _upcoming(events_public(), now)


def events_past(*, now: datetime | None = None) -> QuerySet:
    return _past(events_public(), now)


def event_list_base(*, past: bool, now: datetime | None = None) -> QuerySet:
    """The public list before filters, without joins or annotations: the list
    page paginates ids on it, then shows their cards (``outreach.cards``)."""
    return (_past if past else _upcoming)(Event.objects.all(), now)


def first_ids(queryset: QuerySet, limit: int) -> list[int]:
    """The ids of the first ``limit`` rows of ``queryset``, read as plain rows:
    for the thousand ids a list counts, Django's iteration row by row cost more
    than the query."""
    query = queryset.values_list("pk")[:limit].query
    return [row[0] for rows in query.get_compiler(queryset.db).execute_sql(MULTI) for row in rows]


def event_dependency(event_id: int) -> str:
    """The page cache's name for an event's sign-ups (seats taken, waiting):
    a page showing them depends on it, a sign-up's write bumps it."""
    return f"outreach.event:{event_id}"


def seats_badge(*, event_id: int, left: int | None) -> str:
    """An event card's "seats left" (a page cache fragment, see the template tag)."""
    return render_to_string("outreach/_seats_badge.html", {"left": left}).strip()


def seats_badges(pks: list[int]) -> dict[int, str]:
    """The cards' seats left of these events as they are now."""
    events = with_seats(Event.objects.filter(pk__in=pks)).only("pk", "capacity")
    return {event.pk: seats_badge(event_id=event.pk, left=seats_left(event)) for event in events}


def events_for_cards(ids: list[int]) -> list[Event]:
    """The public events among ``ids``, in their order, with what a card shows
    but its seats left (a fragment: ``seats_badges``). Two queries."""
    queryset = (
        Event.objects.filter(status__in=Event.PUBLIC_STATUSES, pk__in=ids)
        .select_related("venue", "cover", "poster")
        .prefetch_related("audiences")
    )
    by_id = {event.pk: event for event in queryset}
    return [by_id[pk] for pk in ids if pk in by_id]


_EVENT_ROW = Prepared(lambda pk: Event.objects.filter(pk=pk).order_by())


def event_row(*, pk: int) -> Event | None:
    """Any event by id, its own fields only (what a sign-up checks, what an
    event's page shows around its kept columns), its SQL built once: building
    it was half the page's reading of it."""
    return _EVENT_ROW.first(pk=pk)


# What a sign-up posted to an event reads of it: who may see it, whether and
# how it takes sign-ups, its seats held (the seat it most likely gets), and
# what its receipts say (title, time, place).
SIGN_UP_FIELDS = (
    "title",
    "status",
    "society",
    "branch",
    "venue",
    "online_url",
    "starts_at",
    "ends_at",
    "capacity",
    "max_party_size",
    "signup_opens_at",
    "signup_closes_at",
    "signup_needs_code",
    "schedule_version",
    "seats_held",
)


_EVENT_TO_SIGN_UP = Prepared(
    lambda pk: Event.objects.filter(pk=pk).only(*SIGN_UP_FIELDS).order_by()
)
# On PostgreSQL with the id of the sign-up to insert, from its sequence in the
# same round trip: the sign-up then needs one statement more
# (``registrations.registration_create``). A POST that makes no sign-up leaves
# a gap in the ids, as a refused insert does.
_EVENT_TO_SIGN_UP_WITH_ID = Prepared(
    lambda pk: (
        Event.objects.filter(pk=pk)
        .only(*SIGN_UP_FIELDS)
        .annotate(next_registration_id=Registration.next_id())
        .order_by()
    )
)


def event_to_sign_up(*, pk: int) -> Event | None:
    """Any event by id, the columns a sign-up reads only (``SIGN_UP_FIELDS``:
    half the event's row, so half the work of building and reading it), its
    SQL built once (a sign-up storm reads it on every POST); on PostgreSQL
    with ``next_registration_id``, the id a sign-up to it is inserted with."""
    if connection.vendor == "postgresql":
        return _EVENT_TO_SIGN_UP_WITH_ID.first(pk=pk)
    return _EVENT_TO_SIGN_UP.first(pk=pk)


def event_with_seats(*, pk: int) -> Event | None:
    """Any event by id with its seats and venue, in one query (the staff's
    list of its sign-ups shows no more of it)."""
    return with_seats(Event.objects.filter(pk=pk)).select_related("venue").first()


def event_detail(*, pk: int) -> Event | None:
    """Any event by id (the access helper decides who may see it)."""
    pagecache.depends_on(event_dependency(pk))
    return (
        with_seats(Event.objects.filter(pk=pk))
        .select_related("venue__town", "campaign", "society", "branch", "cover", "poster")
        .prefetch_related(
            "audiences",
            Prefetch("sessions", queryset=EventSession.objects.select_related("venue")),
            Prefetch("reach_entries", queryset=ReachEntry.objects.select_related("audience")),
        )
        .first()
    )


def upcoming_events_for_org(
    *, society: Society | None = None, branch: Branch | None = None, limit: int = 5
) -> list[Event]:
    """The next public events organised by a society or a branch (for the
    organisation pages of the members app)."""
    if society is None and branch is None:
        return []
    # One query: the include shows titles, times and venues only.
    queryset = (
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    queryset = (
        queryset.filter(society=society) if society is not None else queryset.filter(branch=branch)
    )
    return list(queryset[:limit])


def upcoming_events_at_venue(*, venue: Venue, limit: int = 10) -> list[Event]:
    return list(
        events_upcoming().filter(Q(venue=venue) | Q(sessions__venue=venue)).distinct()[:limit]
    )


def filter_choices() -> dict[str, list[tuple[int, str]]]:
    """(id, name) of the towns, audiences, campaigns and venues the event list
    filters by, kept in the process until an outreach or members write (four
    queries when computed)."""
    return parts.cached_value("outreach.filter_choices", ("outreach", "members"), _choices)


def _choices() -> dict[str, list[tuple[int, str]]]:
    return {
        "towns": list(Town.objects.values_list("pk", "name")),
        "audiences": list(Audience.objects.values_list("pk", "name")),
        "campaigns": list(Campaign.objects.values_list("pk", "name")),
        "venues": list(Venue.objects.values_list("pk", "name")),
    }


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    items: list = field(default_factory=list)


@dataclass
class CalendarItem:
    event: Event
    starts_at: datetime
    label: str = ""


def calendar_month(*, year: int, month: int) -> list[list[CalendarDay]]:
    """The weeks of a month (Monday first), each day with the events and
    course sessions that start on it. Two queries."""
    tz = timezone.get_current_timezone()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    by_day: dict[date, list[CalendarItem]] = defaultdict(list)
    public = Event.objects.filter(status__in=Event.PUBLIC_STATUSES)
    single = (
        public.filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(session_count=Count("sessions"))
        .filter(session_count=0)
        .only("id", "title", "status", "starts_at", "kind")
    )
    for event in single:
        by_day[timezone.localtime(event.starts_at, tz).date()].append(
            CalendarItem(event=event, starts_at=event.starts_at)
        )
    sessions = (
        EventSession.objects.filter(
            event__status__in=Event.PUBLIC_STATUSES, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("event")
        .only("id", "starts_at", "title", "event__id", "event__title", "event__status")
    )
    for session in sessions:
        by_day[timezone.localtime(session.starts_at, tz).date()].append(
            CalendarItem(event=session.event, starts_at=session.starts_at, label=session.title)
        )
    return [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month,
                items=sorted(by_day.get(day, []), key=lambda item: item.starts_at),
            )
            for day in week
        ]
        for week in weeks
    ]


def events_for_feed(*, campaign: Campaign | None = None, limit: int = 500) -> list[Event]:
    """Events for an iCalendar feed: the coming ones and those of the last 90 days."""
    since = timezone.now() - timedelta(days=90)
    queryset = (
        Event.objects.filter(status__in=Event.PUBLIC_STATUSES, ends_at__gte=since)
        .select_related("venue__town")
        .prefetch_related(
            Prefetch("sessions", queryset=EventSession.objects.select_related("venue"))
        )
        .order_by("starts_at", "pk")
    )
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return list(queryset[:limit])


def venues_public() -> QuerySet:
    return Venue.objects.select_related("town", "picture")


def venue_detail(*, pk: int) -> Venue | None:
    return (
        Venue.objects.select_related("town", "picture")
        .prefetch_related(Prefetch("photos", queryset=VenuePhoto.objects.select_related("picture")))
        .filter(pk=pk)
        .first()
    )


def event_recap(*, event: Event) -> EventRecap | None:
    """The recap of a past event with its photos, or None (two queries)."""
    return (
        EventRecap.objects.filter(event=event)
        .prefetch_related(
            Prefetch("photos", queryset=EventRecapPhoto.objects.select_related("picture"))
        )
        .first()
    )


CODE_RE = re.compile(r"[A-Za-z0-9_-]{16,32}")


def registration_by_code(*, code: str) -> Registration | None:
    if not CODE_RE.fullmatch(code or ""):
        return None
    return (
        Registration.objects.select_related("event__venue__town", "event__society", "event__branch")
        .filter(code=code)
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None unless waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def event_registrations(*, event: Event, status: str | None = None) -> QuerySet:
    queryset = Registration.objects.filter(event=event).select_related("user")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("created_at", "pk")


def registration_counts(*, event: Event) -> dict:
    """People (not sign-ups) per status, and the total checked in."""
    rows = (
        Registration.objects.filter(event=event)
        .order_by()
        .values("status")
        .annotate(people=Sum("party_size"), signups=Count("pk"), present=Sum("attended_count"))
    )
    counts = {status: 0 for status in Registration.Status.values}
    signups = dict.fromkeys(Registration.Status.values, 0)
    present = 0
    for row in rows:
        counts[row["status"]] = row["people"] or 0
        signups[row["status"]] = row["signups"]
        present += row["present"] or 0
    expected = counts["confirmed"] + counts["attended"]
    return {
        "people": counts,
        "signups": signups,
        "present": present,
        "expected": expected,
        "capacity": event.capacity,
    }


@dataclass(frozen=True)
class Aftercare:
    """What an attendee's private page offers once the event is over: the
    certificate already issued (to say when it was revoked) and the survey
    link while it waits for an answer (for whoever lost the message)."""

    certificate: Certificate | None = None
    feedback_token: str = ""


def registration_aftercare(registration: Registration) -> Aftercare:
    if registration.status != Registration.Status.ATTENDED or not registration.event.is_past:
        return Aftercare()
    certificate = (
        Certificate.objects.filter(registration=registration)
        .only("pk", "registration_id", "revoked_at", "revoke_reason")
        .first()
    )
    token = (
        FeedbackInvitation.objects.filter(registration=registration, answered_at__isnull=True)
        .values_list("token", flat=True)
        .first()
    )
    return Aftercare(certificate=certificate, feedback_token=token or "")


def _checkin_query(query: str) -> str:
    query = (query or "").replace("\x00", "").strip()[:100]
    if "/r/" in query:  # a scanned private link
        query = query.rstrip("/").rsplit("/", 1)[-1]
    return query


def checkin_search(*, event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Sign-ups of an event by code (or the private link), name, or the
    last four digits of the phone. Cancelled ones are found too, after the
    others, so the door can say why a code cannot be checked in rather than
    that it does not exist."""
    query = _checkin_query(query)
    if not query:
        return []
    condition = Q(code=query) | Q(name__icontains=query)
    if query.isascii() and query.isdigit() and len(query) == 4:
        condition |= Q(phone__endswith=query)
    cancelled_last = Case(
        When(status=Registration.Status.CANCELLED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return list(
        Registration.objects.filter(event=event)
        .filter(condition)
        .order_by(cancelled_last, "name", "pk")[:limit]
    )


def checkin_code_elsewhere(*, event: Event, query: str) -> Event | None:
    """The other event a sign-up code (or scanned link) typed at this
    event's door belongs to: the visitor came to the wrong event or day."""
    query = _checkin_query(query)
    if not CODE_RE.fullmatch(query):
        return None
    return (
        Event.objects.filter(registrations__code=query)
        .exclude(pk=event.pk)
        .only("pk", "title", "starts_at", "status", "society_id", "branch_id")
        .first()
    )


def lecture_request_by_code(*, code: str) -> LectureRequest | None:
    if not CODE_RE.fullmatch(code or ""):
        return None
    return (
        LectureRequest.objects.select_related("team", "topic", "town", "audience", "event__venue")
        .filter(code=code)
        .first()
    )


def speaker_teams_public() -> QuerySet:
    return SpeakerTeam.objects.prefetch_related(
        Prefetch(
            "topics",
            queryset=LectureTopic.objects.filter(active=True)
            .select_related("speaker")
            .prefetch_related("audiences"),
        ),
        "members",
    ).select_related("society", "branch")


def lecture_requests_pending() -> QuerySet:
    return LectureRequest.objects.filter(status=LectureRequest.Status.SUBMITTED).select_related(
        "team", "topic", "town", "audience"
    )


def home_upcoming_ids(*, limit: int = 4, generations: dict | None = None) -> list[int]:
    """The next published events of the home page (their cards are
    ``outreach.cards``), kept while nothing they are drawn from changes
    (``outreach.upcoming``; ``generations``: those read for the page)."""
    stamp = upcoming.stamp(generations)
    now = timezone.now()
    return upcoming.first_ids(
        lambda: _upcoming(Event.objects.filter(status=Event.Status.PUBLISHED), now),
        limit,
        key="home",
        now=now,
        stamp=stamp,
    )


def home_venues(*, limit: int = 4) -> dict:
    """The home page's venues: open ones with a photo, museums and the
    highest-level bases first, and how many places there are. Two queries."""
    # The county's own museums first, then the education bases by level.
    level_rank = Case(
        When(kind__in=(Venue.Kind.SPACE_MUSEUM, Venue.Kind.MUSEUM), then=Value(-1)),
        *[When(level=level, then=Value(rank)) for rank, level in enumerate(Venue.Level.values)],
        default=Value(len(Venue.Level.values)),
        output_field=IntegerField(),
    )
    venues = list(
        Venue.objects.filter(status=Venue.Status.OPEN, picture__isnull=False)
        .select_related("town", "picture")
        .annotate(level_rank=level_rank)
        .order_by("level_rank", "name")[:limit]
    )
    figures = Venue.objects.aggregate(
        total=Count("pk"), bases=Count("pk", filter=Q(kind=Venue.Kind.BASE))
    )
    return {"venues": venues, **figures}


def registrations_for_phone(*, phone: str, limit: int = 50) -> list[Registration]:
    """A phone number's sign-ups, for its owner once they proved the number:
    the coming events first (soonest first), then the past ones. One query."""
    return _coming_then_past(Registration.objects.filter(phone=phone), limit)


def registrations_for_account(*, user, limit: int = 50) -> list[Registration]:
    """A signed-in member's sign-ups: those made while signed in and those of
    the account's proven number (a pending one is nobody's yet), in the order
    of ``registrations_for_phone``. One query."""
    mine = Q(user=user)
    if user.phone:
        mine |= Q(phone=user.phone)
    return _coming_then_past(Registration.objects.filter(mine), limit)


def _coming_then_past(registrations, limit: int) -> list[Registration]:
    now = timezone.now()
    rows = list(
        registrations.select_related("event__venue").order_by("-event__starts_at", "-pk")[:limit]
    )
    coming = sorted((r for r in rows if r.event.ends_at >= now), key=lambda r: r.event.starts_at)
    past = [r for r in rows if r.event.ends_at < now]
    return coming + past


# --- the staff workbench (kexie/portal/workbench): each read scoped to the
# organisations the user covers (members.access.OrgScope), in a fixed number
# of queries.


def _event_scope(scope) -> Q:
    return scope.q(society_field="society", branch_field="branch")


def events_starting_between(*, scope, start: datetime, end: datetime, limit: int = 20) -> dict:
    """Published events of the scope that start in [start, end), with seats
    and people checked in; and how many there are. Two queries."""
    queryset = Event.objects.filter(
        _event_scope(scope),
        status=Event.Status.PUBLISHED,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    events = list(
        with_seats(queryset)
        .annotate(
            present=Coalesce(
                Subquery(
                    Registration.objects.filter(event=OuterRef("pk"))
                    .order_by()
                    .values("event")
                    .annotate(total=Sum("attended_count"))
                    .values("total"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .select_related("venue")
        .order_by("starts_at", "pk")[:limit]
    )
    count = len(events) if len(events) < limit else queryset.count()
    return {"events": events, "count": count}


def lecture_requests_waiting(*, scope, limit: int = 10) -> dict:
    """Lecture requests of the scope's speaker teams that wait for an answer,
    the oldest first, and how many. Two queries."""
    queryset = LectureRequest.objects.filter(
        scope.q(society_field="team__society", branch_field="team__branch"),
        status=LectureRequest.Status.SUBMITTED,
    )
    requests = list(
        queryset.select_related("team", "topic", "town").order_by("created_at", "pk")[:limit]
    )
    count = len(requests) if len(requests) < limit else queryset.count()
    return {"requests": requests, "count": count}


def lecture_requests_for_staff(*, scope, status: str | None = None) -> QuerySet:
    queryset = LectureRequest.objects.filter(
        scope.q(society_field="team__society", branch_field="team__branch")
    ).select_related("team", "topic", "town", "event")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def registration_activity(*, scope, since: datetime, limit: int = 10) -> dict:
    """Sign-ups made and cancelled since ``since`` for the scope's events:
    the newest first, and how many of each. Two queries."""
    base = Registration.objects.filter(
        scope.q(society_field="event__society", branch_field="event__branch")
    )
    recent = base.filter(Q(created_at__gte=since) | Q(cancelled_at__gte=since))
    counts = recent.aggregate(
        signups=Count("pk", filter=Q(created_at__gte=since)),
        people=Coalesce(Sum("party_size", filter=Q(created_at__gte=since)), 0),
        cancellations=Count("pk", filter=Q(cancelled_at__gte=since)),
    )
    # The newest by either time are among the newest sign-ups and the newest
    # cancellations: two short walks down their indexes, not a sort of every
    # recent row (a storm's worth of sign-ups in two days).
    # (Two IN subqueries rather than a UNION: SQLite refuses LIMIT in a compound's parts.)
    newest_signups = (
        base.filter(created_at__gte=since).order_by("-created_at", "-pk").values("pk")[:limit]
    )
    newest_cancellations = (
        base.filter(cancelled_at__gte=since).order_by("-cancelled_at", "-pk").values("pk")[:limit]
    )
    rows = list(
        Registration.objects.filter(Q(pk__in=newest_signups) | Q(pk__in=newest_cancellations))
        .annotate(changed_at=Greatest("created_at", Coalesce("cancelled_at", "created_at")))
        .select_related("event")
        .only(
            "pk",
            "name",
            "party_size",
            "status",
            "created_at",
            "cancelled_at",
            "event__id",
            "event__title",
            "event__starts_at",
        )
        .order_by("-changed_at", "-pk")[:limit]
    )
    for row in rows:
        row.was_cancelled = row.cancelled_at is not None and row.cancelled_at >= since
    return {"rows": rows, **counts}


# --- quick choices of the event list


def period_bounds(period: str, *, now: datetime | None = None) -> tuple[datetime, datetime] | None:
    """[start, end) of a named period in the site's time zone (Asia/Shanghai):
    ``weekend`` is this Saturday and Sunday (today and tomorrow on a Saturday,
    today on a Sunday), ``month`` the rest of this calendar month. None for
    another name."""
    tz = timezone.get_current_timezone()
    now = timezone.localtime(now or timezone.now(), tz)
    today = now.date()
    if period == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # Sunday: what is left of this weekend
            saturday = today - timedelta(days=1)
        start = max(now, datetime.combine(saturday, time.min, tzinfo=tz))
        return start, datetime.combine(saturday + timedelta(days=2), time.min, tzinfo=tz)
    if period == "month":
        following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
        return now, datetime.combine(following, time.min, tzinfo=tz)
    return None
