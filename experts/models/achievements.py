from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Achievement(models.Model):
    """A result offered for transfer (科技成果) by an expert or an institute."""

    class Maturity(models.TextChoices):
        LAB = "lab", _("实验室阶段")
        PILOT_SMALL = "pilot_small", _("小试")
        PILOT = "pilot", _("中试")
        READY = "ready", _("可批量生产")
        INDUSTRIALISED = "industrialised", _("已产业化")

    class Terms(models.TextChoices):
        TRANSFER = "transfer", _("转让")
        LICENCE = "licence", _("许可使用")
        EQUITY = "equity", _("作价入股")
        JOINT = "joint", _("合作开发")
        NEGOTIABLE = "negotiable", _("面议")

    title = models.CharField(_("成果名称"), max_length=100)
    summary = models.TextField(_("成果简介"))
    field = models.ForeignKey(
        "experts.Discipline",
        verbose_name=_("所属领域"),
        on_delete=models.PROTECT,
        related_name="achievements",
    )
    maturity = models.CharField(_("成熟度"), max_length=20, choices=Maturity.choices)
    terms = models.CharField(_("合作方式"), max_length=20, choices=Terms.choices)
    terms_note = models.CharField(_("合作条件说明"), max_length=200, blank=True)
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("成果持有专家"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="achievements",
    )
    institution = models.CharField(_("成果持有单位"), max_length=100)
    is_published = models.BooleanField(_("公开展示"), default=True)
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("one", "科技成果")
        verbose_name_plural = _("科技成果")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("experts:achievement_detail", args=[self.pk])


class AchievementInterest(models.Model):
    """An enterprise would like to talk about an achievement; staff follow up."""

    class Status(models.TextChoices):
        NEW = "new", _("待跟进")
        FOLLOWING = "following", _("跟进中")
        CONCLUDED = "concluded", _("已促成合作")
        CLOSED = "closed", _("已结束")

    achievement = models.ForeignKey(
        Achievement, verbose_name=_("科技成果"), on_delete=models.CASCADE, related_name="interests"
    )
    enterprise = models.ForeignKey(
        "experts.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="achievement_interests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账户"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("合作意向"), max_length=2000)
    status = models.CharField(
        _("跟进状态"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    staff_note = models.TextField(_("跟进记录"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("跟进人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("成果合作意向")
        verbose_name_plural = pgettext_lazy("several", "成果合作意向")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["achievement", "enterprise"], name="achievement_interest_once"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.achievement}"
