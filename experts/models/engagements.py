from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Engagement(models.Model):
    """The accepted response: one expert serving one need, to an outcome."""

    need = models.OneToOneField(
        "experts.TechNeed",
        verbose_name=_("技术需求"),
        on_delete=models.CASCADE,
        related_name="engagement",
    )
    response = models.OneToOneField(
        "experts.Response",
        verbose_name=_("采纳的响应"),
        on_delete=models.PROTECT,
        related_name="engagement",
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    choice_reason = models.CharField(
        _("选择理由"),
        max_length=300,
        blank=True,
        help_text=_("企业选择这位专家的理由（选填），会转告未被选中的专家。"),
    )
    outcome = models.TextField(_("服务成效"), blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("对接服务")
        verbose_name_plural = pgettext_lazy("several", "对接服务")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.expert} · {self.need}"


class ServiceLogEntry(models.Model):
    """A visit, call, meeting or report during an engagement, by either side."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("上门走访")
        CALL = "call", _("电话沟通")
        MEETING = "meeting", _("会议研讨")
        REPORT = "report", _("提交报告")
        OTHER = "other", _("其他")

    engagement = models.ForeignKey(
        Engagement, verbose_name=_("对接服务"), on_delete=models.CASCADE, related_name="log_entries"
    )
    kind = models.CharField(_("方式"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"))
    summary = models.TextField(_("内容"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = pgettext_lazy("several", "服务记录")
        ordering = ["occurred_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"


def _score_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Rating(models.Model):
    """The enterprise's rating of an engagement, and the expert's reply."""

    engagement = models.OneToOneField(
        Engagement, verbose_name=_("对接服务"), on_delete=models.CASCADE, related_name="rating"
    )
    overall = _score_field(_("总体评价"))
    timeliness = _score_field(_("响应及时"))
    expertise = _score_field(_("专业水平"))
    outcome = _score_field(_("解决效果"))
    comment = models.TextField(_("评价内容"), blank=True, max_length=2000)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    expert_reply = models.TextField(_("专家回复"), blank=True, max_length=2000)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = pgettext_lazy("several", "服务评价")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(timeliness__gte=1, timeliness__lte=5)
                & Q(expertise__gte=1, expertise__lte=5)
                & Q(outcome__gte=1, outcome__lte=5),
                name="rating_scores_1_to_5",
                violation_error_message=_("评分须在1到5分之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.engagement} · {self.overall}"
