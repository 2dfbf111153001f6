"""Feedback after an event (活动反馈): a short survey per event kind, sent once
to each attendee who checked in, answered anonymously.

The link a person receives (``FeedbackInvitation``) knows their sign-up; the
answers (``FeedbackResponse``) know only the event and the survey, so nobody,
staff included, can tell who said what. The invitation records that it was
used, so each sign-up answers once.
"""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outreach.models.events import Event
from outreach.models.registrations import Registration


def new_feedback_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    """The questions asked after events of one kind."""

    kind = models.CharField(_("活动类型"), max_length=20, choices=Event.Kind.choices, unique=True)
    title = models.CharField(_("问卷标题"), max_length=100)
    intro = models.CharField(_("开头说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动反馈问卷")
        verbose_name_plural = pgettext_lazy("several", "活动反馈问卷")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("1–5分评分")
        YES_NO = "yes_no", _("是/否")
        TEXT = "text", _("文字意见")

    class Topic(models.TextChoices):
        """What a question measures, so the reports can compare events whose
        surveys word it differently."""

        OVERALL = "overall", _("总体满意度")
        CONTENT = "content", _("内容")
        SPEAKER = "speaker", _("主讲人")
        RECOMMEND = "recommend", _("是否推荐")
        OTHER = "other", _("其他")

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.CharField(_("题目"), max_length=200)
    kind = models.CharField(_("题型"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("统计项"), max_length=10, choices=Topic.choices, default=Topic.OTHER)
    required = models.BooleanField(_("必答"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = pgettext_lazy("several", "问卷题目")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class FeedbackInvitation(models.Model):
    """The survey link sent to one sign-up (once)."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("报名"),
        on_delete=models.CASCADE,
        related_name="feedback_invitation",
    )
    token = models.CharField(
        _("问卷码"), max_length=32, unique=True, default=new_feedback_token, editable=False
    )
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("反馈邀请")
        verbose_name_plural = pgettext_lazy("several", "反馈邀请")

    def __str__(self):
        return str(self.registration.event)

    def get_absolute_url(self):
        return reverse("outreach:feedback", args=[self.token])


class FeedbackResponse(models.Model):
    """One set of anonymous answers to an event's survey."""

    event = models.ForeignKey(
        Event, verbose_name=_("科普活动"), on_delete=models.CASCADE, related_name="feedback"
    )
    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="responses"
    )
    # The day only: a time to the second could be matched with the invitation.
    submitted_on = models.DateField(_("提交日期"), default=timezone.localdate)

    class Meta:
        verbose_name = pgettext_lazy("one", "反馈")
        verbose_name_plural = _("反馈")
        ordering = ["-submitted_on", "-pk"]

    def __str__(self):
        return f"{self.event} · {self.submitted_on}"


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(
        FeedbackResponse, verbose_name=_("反馈"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="answers"
    )
    # Ratings 1–5; yes/no as 1/0.
    value = models.PositiveSmallIntegerField(
        _("分值"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    text = models.TextField(_("文字"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = pgettext_lazy("several", "回答")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="feedback_one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=5),
                name="feedback_value_in_range",
            ),
        ]

    def __str__(self):
        return str(self.question)
