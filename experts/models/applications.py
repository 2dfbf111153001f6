from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from experts.models.parties import Expert


class ExpertApplication(models.Model):
    """A person's request to join the expert pool (专家入库申请).

    Staff approve it (an ``Expert`` linked to the account is made from it) or
    decline it with a reason; a person has at most one pending application.
    Keywords stay plain words here and join the vocabulary only on approval.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        DECLINED = "declined", _("未通过")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账户"),
        on_delete=models.CASCADE,
        related_name="expert_applications",
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职称"), max_length=30, choices=Expert.Title.choices)
    organisation = models.CharField(_("工作单位"), max_length=100)
    region = models.CharField(_("所在地区"), max_length=20, choices=Expert.Region.choices)
    fields = models.ManyToManyField(
        "experts.Discipline", verbose_name=_("专业领域"), related_name="+"
    )
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    biography = models.TextField(_("简介"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    decline_reason = models.TextField(_("未通过原因"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    expert = models.OneToOneField(
        Expert,
        verbose_name=_("入库的专家"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        editable=False,
    )
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家入库申请")
        verbose_name_plural = pgettext_lazy("several", "专家入库申请")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="expertapplication_one_pending_per_user",
                violation_error_message=_("您已有一份待审核的申请。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="expertapplication_declined_has_reason",
                violation_error_message=_("请填写未通过的原因。"),
            ),
        ]

    def __str__(self):
        return self.name + gettext("（%(title)s）") % {"title": self.organisation}

    def get_absolute_url(self):
        return reverse("experts:application_detail", args=[self.pk])
