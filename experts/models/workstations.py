from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Workstation(models.Model):
    """A station hosted by an enterprise where named experts work."""

    class Kind(models.TextChoices):
        ACADEMICIAN = "academician", _("院士工作站")
        DOCTORAL = "doctoral", _("博士创新站")
        HAIZHI = "haizhi", _("海智基地")
        SOCIETY = "society", _("学会服务站")

    class Status(models.TextChoices):
        APPLIED = "applied", _("申报中")
        APPROVED = "approved", _("已认定")
        UNDER_REVIEW = "under_review", _("考核整改中")
        REVOKED = "revoked", _("已撤销")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    host = models.ForeignKey(
        "experts.Enterprise",
        verbose_name=_("依托企业"),
        on_delete=models.PROTECT,
        related_name="workstations",
    )
    experts = models.ManyToManyField(
        "experts.Expert", verbose_name=_("进站专家"), blank=True, related_name="workstations"
    )
    established = models.DateField(_("建站日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作站")
        verbose_name_plural = pgettext_lazy("several", "工作站")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("experts:workstation_detail", args=[self.pk])


class WorkstationReview(models.Model):
    """The yearly review of a workstation."""

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("工作站"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    result = models.CharField(_("考核结果"), max_length=20, choices=Result.choices)
    notes = models.TextField(_("考核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("考核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = pgettext_lazy("several", "年度考核")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstation", "year"], name="workstation_review_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.workstation} {self.year}"
