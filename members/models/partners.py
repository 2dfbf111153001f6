from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Partner(models.Model):
    """An organisation outside the county the association works with (合作单位)."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("科协")
        SOCIETY = "society", _("学会")
        UNIVERSITY = "university", _("高校")
        INSTITUTE = "institute", _("科研院所")
        PLATFORM = "platform", _("创新平台")
        OTHER = "other", _("其他")

    class Region(models.TextChoices):
        SHANGHAI = "shanghai", _("上海")
        JIANGSU = "jiangsu", _("江苏")
        ZHEJIANG = "zhejiang", _("浙江")
        ANHUI = "anhui", _("安徽")
        OTHER = "other", _("其他地区")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.CharField(_("地区"), max_length=20, choices=Region.choices)
    since = models.DateField(_("开始合作"), null=True, blank=True)
    website = models.URLField(_("网站"), blank=True)
    description = models.TextField(_("简介"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = pgettext_lazy("several", "合作单位")
        ordering = ["region", "name"]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    """A cooperation agreement (合作协议) signed with a partner."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("合作单位"), on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("协议名称"), max_length=200)
    signed = models.DateField(_("签订日期"))
    start = models.DateField(_("有效期开始"), null=True, blank=True)
    end = models.DateField(_("有效期结束"), null=True, blank=True)
    content = models.TextField(_("合作内容"), blank=True)
    branches = models.ManyToManyField(
        "members.Branch",
        verbose_name=_("参与的基层组织"),
        blank=True,
        related_name="agreements",
    )

    history = HistoricalRecords(m2m_fields=[branches])

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = pgettext_lazy("several", "合作协议")
        ordering = ["-signed", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="agreement_end_after_start",
                violation_error_message=_("有效期结束日期不能早于开始日期。"),
            ),
            models.UniqueConstraint(
                fields=["partner", "title"],
                name="agreement_unique_title_per_partner",
                violation_error_message=_("该合作单位已有同名协议。"),
            ),
        ]

    def __str__(self):
        return f"{self.partner} · {self.title}"


class JointActivity(models.Model):
    """An activity held together with a partner (联合活动), often under an agreement."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("合作单位"), on_delete=models.CASCADE, related_name="activities"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("依据协议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    title = models.CharField(_("活动名称"), max_length=200)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联合活动")
        verbose_name_plural = pgettext_lazy("several", "联合活动")
        ordering = ["-date", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.agreement_id and self.partner_id and self.agreement.partner_id != self.partner_id:
            raise ValidationError({"agreement": _("所选协议不属于该合作单位。")})
