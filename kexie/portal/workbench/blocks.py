"""The blocks the workbench ships with: what waits for staff in 科协帮 and in
outreach. Each row links to the page where the work is done."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from experts import selectors as experts_selectors
from kexie.portal.workbench import registry
from outreach import selectors as outreach_selectors

LIST_LENGTH = 5
#: Each block is kept per user this long, and rendered afresh at once after a
#: write to its domains; a sign-up (which bumps only its event) and the clock
#: (working days, "today") show within a minute. A manager's blocks name
#: ``members`` too, where the organisations they manage are written.
CACHE_SECONDS = 60


_scope = registry.scope_for


def needs_to_review(request) -> dict:
    queue = experts_selectors.review_queue()
    needs = list(queue[:LIST_LENGTH])
    count = len(needs) if len(needs) < LIST_LENGTH else queue.count()
    return {"needs": needs, "count": count}


def stuck_needs(request) -> dict:
    return {
        **experts_selectors.stuck_needs_overview(limit=LIST_LENGTH),
        "limit_days": settings.EXPERTS_STUCK_AFTER_WORKING_DAYS,
    }


def lecture_requests(request) -> dict:
    return outreach_selectors.lecture_requests_waiting(scope=_scope(request), limit=LIST_LENGTH)


def events_today_and_tomorrow(request) -> dict:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime.combine(today, time.min, tzinfo=tz)
    found = outreach_selectors.events_starting_between(
        scope=_scope(request), start=start, end=start + timedelta(days=2), limit=20
    )
    tomorrow = today + timedelta(days=1)
    days = [
        (today, [e for e in found["events"] if timezone.localdate(e.starts_at) == today]),
        (tomorrow, [e for e in found["events"] if timezone.localdate(e.starts_at) == tomorrow]),
    ]
    return {"days": days, "count": found["count"], "today": today}


def recent_registrations(request) -> dict:
    since = timezone.now() - timedelta(days=2)
    return {
        **outreach_selectors.registration_activity(
            scope=_scope(request), since=since, limit=LIST_LENGTH * 2
        ),
        "since": since,
    }


registry.register(
    "needs_to_review",
    order=10,
    template="workbench/_needs_to_review.html",
    context=needs_to_review,
    cache_seconds=CACHE_SECONDS,
    domains=("experts",),
)
registry.register(
    "lecture_requests",
    order=20,
    template="workbench/_lecture_requests.html",
    context=lecture_requests,
    for_managers=True,
    cache_seconds=CACHE_SECONDS,
    # A manager's blocks follow the organisations they manage (``members``).
    domains=("outreach", "members"),
)
registry.register(
    "events_today_and_tomorrow",
    order=30,
    template="workbench/_events.html",
    context=events_today_and_tomorrow,
    for_managers=True,
    cache_seconds=CACHE_SECONDS,
    # A manager's blocks follow the organisations they manage (``members``).
    domains=("outreach", "members"),
)
registry.register(
    "stuck_needs",
    order=40,
    template="workbench/_stuck_needs.html",
    context=stuck_needs,
    cache_seconds=CACHE_SECONDS,
    domains=("experts",),
)
registry.register(
    "recent_registrations",
    order=50,
    template="workbench/_registrations.html",
    context=recent_registrations,
    for_managers=True,
    cache_seconds=CACHE_SECONDS,
    # A manager's blocks follow the organisations they manage (``members``).
    domains=("outreach", "members"),
)
