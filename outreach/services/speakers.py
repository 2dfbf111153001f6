"""Lecture requests to speaker teams (点单式科普)."""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.platform.lib.validators import normalize_phone, validate_mobile
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import message_language, notification_create
from members.models import Town
from outreach import workflow
from outreach.models import Audience, Event, LectureRequest, LectureTopic, SpeakerTeam, Venue
from outreach.services.events import event_create


@transaction.atomic
def speaker_team_create(*, name: str, description: str = "", **details) -> SpeakerTeam:
    team = SpeakerTeam(name=name, description=description, **details)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def lecture_topic_create(*, team: SpeakerTeam, title: str, audiences=(), **details) -> LectureTopic:
    topic = LectureTopic(team=team, title=title, **details)
    topic.full_clean()
    topic.save()
    topic.audiences.set(audiences)
    return topic


def lecture_request_link(request: LectureRequest) -> str:
    return settings.SITE_URL + request.get_absolute_url()


def _notify_requester(request: LectureRequest, *, template: str, occasion: str) -> None:
    # The number is not proven: the messages quote nothing the requester
    # typed, only the portal's own words and the link to its status page.
    notification_create(
        channel=Notification.Channel.SMS,
        recipient=request.contact_phone,
        template=template,
        context={"request": request, "link": lecture_request_link(request)},
        dedupe_key=f"outreach:lecture-request:{occasion}:{request.pk}",
        language=request.language,
    )


@transaction.atomic
def lecture_request_create(
    *,
    team: SpeakerTeam,
    organisation: str,
    town: Town,
    contact_name: str,
    contact_phone: str,
    preferred_date: date,
    audience: Audience,
    expected_attendance: int,
    topic: LectureTopic | None = None,
    topic_text: str = "",
    place: str = "",
    note: str = "",
    language: str = "",
) -> LectureRequest:
    """``language``: the request page's, which the messages about the request
    are written in (Chinese when it is not one of the site's)."""
    if not team.accepts_requests:
        raise ValidationError(_("该讲师团暂不接受点单。"), code="team_closed")
    if topic is not None and (topic.team_id != team.pk or not topic.active):
        raise ValidationError({"topic": _("请选择该讲师团提供的题目。")}, code="topic")
    topic_text = (topic_text or "").strip()
    if topic is None and not topic_text:
        raise ValidationError({"topic": _("请选择一个题目，或填写想听的题目。")}, code="topic")
    if preferred_date <= timezone.localdate():
        raise ValidationError({"preferred_date": _("希望日期应晚于今天。")}, code="preferred_date")
    contact_phone = normalize_phone(contact_phone or "")
    try:
        validate_mobile(contact_phone)
    except ValidationError as exc:
        raise ValidationError({"contact_phone": exc.messages}, code="phone") from None
    request = LectureRequest(
        team=team,
        topic=topic,
        topic_text=topic_text,
        organisation=(organisation or "").strip(),
        town=town,
        contact_name=(contact_name or "").strip(),
        contact_phone=contact_phone,
        preferred_date=preferred_date,
        audience=audience,
        expected_attendance=expected_attendance,
        place=(place or "").strip(),
        note=(note or "").strip(),
        language=message_language(language),
    )
    request.full_clean()
    request.save()
    _notify_requester(request, template="outreach-lecture-request-received", occasion="received")
    return request


@transaction.atomic
def lecture_request_accept(
    *,
    request: LectureRequest,
    by,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    capacity: int | None = None,
    publish: bool = False,
) -> Event:
    """Accept a request: the lecture becomes an event (a draft unless
    ``publish``), and the requester is told."""
    request = LectureRequest.objects.select_for_update().get(pk=request.pk)
    workflow.LECTURE_REQUESTS.check(
        from_status=request.status, to_status=LectureRequest.Status.ACCEPTED, actor=workflow.STAFF
    )
    team = request.team
    topic = request.topic
    description = _("应%(organisation)s邀请，由%(team)s送讲上门。") % {
        "organisation": request.organisation,
        "team": team.name,
    }
    if topic and topic.summary:
        description = f"{topic.summary}\n\n{description}"
    event = event_create(
        by=by,
        title=request.topic_title,
        kind=Event.Kind.LECTURE,
        starts_at=starts_at,
        ends_at=ends_at,
        audiences=[request.audience],
        society=team.society,
        branch=team.branch,
        venue=venue,
        capacity=capacity,
        speakers=topic.speaker.name if topic and topic.speaker else team.name,
        summary=_("%(team)s点单讲座") % {"team": team.name},
        description=description,
        status=Event.Status.PUBLISHED if publish else Event.Status.DRAFT,
    )
    request.event = event
    workflow.LECTURE_REQUESTS.move(
        request, to_status=LectureRequest.Status.ACCEPTED, actor=workflow.STAFF, by=by
    )
    request.decided_by = by
    request.decided_at = timezone.now()
    request.full_clean()
    request.save()
    _notify_requester(request, template="outreach-lecture-request-accepted", occasion="accepted")
    return event


@transaction.atomic
def lecture_request_decline(*, request: LectureRequest, by, reason: str) -> LectureRequest:
    request = LectureRequest.objects.select_for_update().get(pk=request.pk)
    reason = (reason or "").strip()
    if not reason and request.status == LectureRequest.Status.SUBMITTED:
        raise ValidationError({"decline_reason": _("请说明未能安排的原因。")}, code="reason")
    workflow.LECTURE_REQUESTS.move(
        request,
        to_status=LectureRequest.Status.DECLINED,
        actor=workflow.STAFF,
        by=by,
        reason=reason,
    )
    request.decline_reason = reason[:200]
    request.decided_by = by
    request.decided_at = timezone.now()
    request.full_clean()
    request.save()
    _notify_requester(request, template="outreach-lecture-request-declined", occasion="declined")
    return request
