"""Outreach's part of the staff's daily digest: lecture requests waiting for
an answer, and events over for days whose attendance is not closed
(``event_finish`` records the reach the reports count)."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.platform.digests.registry import DigestItem, DigestSection
from kexie.platform.workdays.calendar import (
    WorkCalendar,
    working_days_before,
    working_days_between,
)
from outreach.models import Event, LectureRequest


def _url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


def _calendar(first: datetime, now: datetime) -> WorkCalendar:
    return WorkCalendar.load(timezone.localdate(first), timezone.localdate(now))


def lecture_requests_waiting(now: datetime) -> DigestSection:
    cutoff = working_days_before(now, settings.OUTREACH_LECTURE_REQUEST_ALERT_WORKING_DAYS)
    requests = list(
        LectureRequest.objects.filter(
            status=LectureRequest.Status.SUBMITTED, created_at__lte=cutoff
        )
        .select_related("topic")
        .order_by("created_at", "pk")
    )
    items = []
    if requests:
        calendar = _calendar(requests[0].created_at, now)
        items = [
            DigestItem(
                title=f"{request.organisation} · {request.topic_title}",
                url=_url("outreach:staff_lecture_request", request.pk),
                detail=_("已等待%(days)s个工作日")
                % {"days": working_days_between(request.created_at, now, calendar=calendar)},
            )
            for request in requests
        ]
    return DigestSection(title=_("待受理的点单讲座申请"), items=items)


def events_not_closed(now: datetime) -> DigestSection:
    cutoff = working_days_before(now, settings.OUTREACH_CLOSE_EVENT_ALERT_WORKING_DAYS)
    events = list(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__lte=cutoff).order_by(
            "ends_at", "pk"
        )
    )
    items = []
    if events:
        calendar = _calendar(events[0].ends_at, now)
        items = [
            DigestItem(
                title=event.title,
                url=_url("outreach:staff_event_registrations", event.pk),
                detail=_("已结束%(days)s个工作日，尚未登记签到和受众人次")
                % {"days": working_days_between(event.ends_at, now, calendar=calendar)},
            )
            for event in events
        ]
    return DigestSection(title=_("已结束但未完成登记的活动"), items=items)
