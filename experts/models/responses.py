from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Response(models.Model):
    """An expert's answer to a need: how, how long, for how much."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        ACCEPTED = "accepted", _("已采纳")
        NOT_SELECTED = "not_selected", _("未采纳")
        WITHDRAWN = "withdrawn", _("已撤回")

    need = models.ForeignKey(
        "experts.TechNeed",
        verbose_name=_("技术需求"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("专家"), on_delete=models.CASCADE, related_name="responses"
    )
    approach = models.TextField(_("解决思路"))
    duration = models.CharField(_("预计周期"), max_length=50, help_text=_("例如：3个月"))
    cost_min = models.PositiveIntegerField(_("费用下限（万元）"), null=True, blank=True)
    cost_max = models.PositiveIntegerField(_("费用上限（万元）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家响应")
        verbose_name_plural = pgettext_lazy("several", "专家响应")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "expert"], name="response_once_per_expert"),
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(status="accepted"),
                name="response_one_accepted_per_need",
            ),
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True)
                | Q(cost_max__isnull=True)
                | Q(cost_min__lte=F("cost_max")),
                name="response_cost_range_ordered",
                violation_error_message=_("费用下限不能高于费用上限。"),
            ),
        ]

    def __str__(self):
        return f"{self.expert} → {self.need}"


class ResponseMessage(models.Model):
    """One message of the short clarification thread under a response."""

    response = models.ForeignKey(
        Response, verbose_name=_("专家响应"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发言人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("内容"), max_length=2000)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("沟通留言")
        verbose_name_plural = pgettext_lazy("several", "沟通留言")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:30]
