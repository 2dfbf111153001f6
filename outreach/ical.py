"""iCalendar (RFC 5545) files of events, built with the icalendar library."""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from outreach.models import Event

PRODID = "-//Kexie Portal//Outreach Events//ZH"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029]")


def _text(value: str) -> str:
    """Text for a property: line breaks as LF, which the library escapes (it
    refuses a bare CR), other control characters as spaces."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", value)


def _line(value: str) -> str:
    """One line (a name, a title): every line break and control character a
    space. The library leaves X-WR-CALNAME unescaped, so a line break there
    made it refuse the whole calendar."""
    return " ".join(_text(value).split("\n"))


def _uid(*parts) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "kexie.local"
    return "-".join(str(part) for part in parts) + f"@{host}"


def _location(event: Event, venue=None) -> str:
    venue = venue or event.venue
    if venue is not None:
        return f"{venue.name} {venue.address}".strip()
    return event.online_url or _("线上")


def _vevents(event: Event, stamp: datetime, *, waitlisted: bool = False) -> list[VEvent]:
    url = settings.SITE_URL + event.get_absolute_url()
    description = "\n\n".join(part for part in [event.summary, event.description, url] if part)
    items = []
    sessions = list(event.sessions.all())
    slots = (
        [
            (("event", event.pk, "session", s.pk), s.starts_at, s.ends_at, s.title, s.venue)
            for s in sessions
        ]
        if sessions
        else [(("event", event.pk), event.starts_at, event.ends_at, "", None)]
    )
    for uid_parts, starts_at, ends_at, label, venue in slots:
        item = VEvent()
        item.add("uid", _uid(*uid_parts))
        item.add("dtstamp", stamp)
        item.add("dtstart", starts_at.astimezone(UTC))
        item.add("dtend", ends_at.astimezone(UTC))
        summary = f"{event.title} · {label}" if label else event.title
        if waitlisted:
            summary = _("（候补）%(title)s") % {"title": summary}
        item.add("summary", _line(summary))
        item.add("description", _text(description))
        item.add("location", _line(_location(event, venue)))
        item.add("url", url)
        # SEQUENCE tells calendar apps that a moved event replaces the old one.
        item.add("sequence", event.schedule_version - 1)
        if event.status == Event.Status.CANCELLED:
            item.add("status", "CANCELLED")
        else:
            # On the waiting list the seat is not yet theirs.
            item.add("status", "TENTATIVE" if waitlisted else "CONFIRMED")
        items.append(item)
    return items


def calendar_for(events, *, name: str, waitlisted: bool = False) -> bytes:
    """The events as an iCalendar file; ``waitlisted``: for a sign-up still on
    the waiting list (tentative, and its title says so)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _line(name))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.now(tz=UTC).replace(microsecond=0)
    for event in events:
        for item in _vevents(event, stamp, waitlisted=waitlisted):
            calendar.add_component(item)
    return calendar.to_ical()
