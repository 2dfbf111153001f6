"""Feedback after events: the survey of each event kind, the one link sent
to each attendee, and the anonymous answers.

``feedback_sweep`` finds attendees (checked in, never no-shows) of events
over for ``OUTREACH_FEEDBACK_AFTER_HOURS`` and not yet invited, and writes one
invitation and one message each; the invitation row (one per sign-up) and the
message's dedupe key make two sweeps at once send each link once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import (
    Event,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    Registration,
    Survey,
    SurveyQuestion,
)
from outreach.services.notices import notify_registrant

Q_ = SurveyQuestion

DEFAULT_QUESTIONS = [
    ("总体来说，您对这次活动满意吗？", Q_.Kind.RATING, Q_.Topic.OVERALL, True),
    ("活动内容对您有帮助吗？", Q_.Kind.RATING, Q_.Topic.CONTENT, False),
    ("您对主讲人或老师的讲解满意吗？", Q_.Kind.RATING, Q_.Topic.SPEAKER, False),
    ("您会推荐亲友参加类似活动吗？", Q_.Kind.YES_NO, Q_.Topic.RECOMMEND, False),
    ("还有什么意见或建议？", Q_.Kind.TEXT, Q_.Topic.OTHER, False),
]


@transaction.atomic
def survey_for_kind(kind: str) -> Survey:
    """The survey of an event kind; the standard questions when staff have
    not written one (a data migration writes them for every kind)."""
    survey = Survey.objects.filter(kind=kind).first()
    if survey is not None:
        return survey
    label = Event.Kind(kind).label
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                kind=kind,
                title=_("%(kind)s活动反馈") % {"kind": label},
                intro=_("感谢参加！花一分钟告诉我们您的感受，回答是匿名的。"),
            )
    except IntegrityError:
        return Survey.objects.get(kind=kind)
    for order, (text, question_kind, topic, required) in enumerate(DEFAULT_QUESTIONS, start=1):
        SurveyQuestion.objects.create(
            survey=survey,
            order=order,
            text=text,
            kind=question_kind,
            topic=topic,
            required=required,
        )
    return survey


@transaction.atomic
def survey_question_delete(*, question: SurveyQuestion, by=None) -> None:
    """Remove a question nobody answered yet. An answered one stays: its answers
    would go with it, and the feedback reports with them."""
    Survey.objects.select_for_update().filter(pk=question.survey_id).exists()
    if FeedbackAnswer.objects.filter(question=question).exists():
        raise ValidationError(
            _("题目「%(question)s」已有人回答，不能删除（回答计入反馈统计）；可以改为非必答。")
            % {"question": question.text},
            code="question_answered",
        )
    if by is not None:
        question._history_user = by
    question.delete()


def feedback_link(invitation: FeedbackInvitation) -> str:
    return settings.SITE_URL + reverse("outreach:feedback", args=[invitation.token])


def _due(now: datetime):
    after = timedelta(hours=settings.OUTREACH_FEEDBACK_AFTER_HOURS)
    within = timedelta(days=settings.OUTREACH_FEEDBACK_WITHIN_DAYS)
    return {
        "status": Registration.Status.ATTENDED,
        "feedback_invitation__isnull": True,
        "event__status__in": (Event.Status.PUBLISHED, Event.Status.FINISHED),
        "event__ends_at__lte": now - after,
        "event__ends_at__gt": now - within,
    }


def feedback_sweep(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Invite every attendee now due; returns how many were invited."""
    now = now or timezone.now()
    invited = 0
    ids = Registration.objects.filter(**_due(now)).order_by("pk").values_list("pk", flat=True)
    for pk in list(ids[:limit]):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("event")
                .filter(pk=pk, **_due(now))
                .first()
            )
            if registration is None:
                continue
            invitation = FeedbackInvitation.objects.create(registration=registration, sent_at=now)
            notify_registrant(
                registration,
                template="outreach-feedback",
                occasion="feedback",
                context={"feedback_link": feedback_link(invitation)},
            )
            invited += 1
    return invited


def _clean_answers(questions, data) -> tuple[dict[int, tuple[int | None, str]], dict]:
    values, errors = {}, {}
    for question in questions:
        raw = (data.get(f"q{question.pk}") or "").strip()
        if not raw:
            if question.required:
                errors[f"q{question.pk}"] = _("请回答这一题。")
            continue
        if question.kind == SurveyQuestion.Kind.TEXT:
            if len(raw) > 1000:
                errors[f"q{question.pk}"] = _("意见最多1000字。")
                continue
            values[question.pk] = (None, raw)
            continue
        allowed = {"1", "2", "3", "4", "5"}
        if question.kind == SurveyQuestion.Kind.YES_NO:
            allowed = {"0", "1"}
        if raw not in allowed:
            errors[f"q{question.pk}"] = _("请选择一个选项。")
            continue
        values[question.pk] = (int(raw), "")
    return values, errors


@transaction.atomic
def feedback_submit(*, invitation: FeedbackInvitation, data) -> FeedbackResponse:
    """Record the answers of one invitation, once. ``data`` maps ``q<id>`` to
    the answer as typed or chosen; every problem is reported at once."""
    invitation = (
        FeedbackInvitation.objects.select_for_update()
        .select_related("registration__event")
        .get(pk=invitation.pk)
    )
    if invitation.answered_at is not None:
        raise ValidationError(_("您已经提交过这次活动的反馈，感谢！"), code="answered")
    event = invitation.registration.event
    survey = survey_for_kind(event.kind)
    questions = list(survey.questions.all())
    values, errors = _clean_answers(questions, data)
    if errors:
        raise ValidationError(errors, code="invalid")
    if not values:
        raise ValidationError(_("请至少回答一题。"), code="empty")
    response = FeedbackResponse.objects.create(event=event, survey=survey)
    FeedbackAnswer.objects.bulk_create(
        FeedbackAnswer(response=response, question_id=pk, value=value, text=text)
        for pk, (value, text) in values.items()
    )
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    return response
