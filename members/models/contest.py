from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ContestProject(models.Model):
    """A society's service project in the yearly contest (凝智助力比拼赛)."""

    class Domain(models.TextChoices):
        DIGITAL = "digital", _("数字赋能")
        BEAUTY = "beauty", _("全域秀美")
        SAFETY = "safety", _("安全生产")
        HEALTH = "health", _("百姓健康")
        LEGAL = "legal", _("法律服务")
        AGRICULTURE = "agriculture", _("农业创新")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    society = models.ForeignKey(
        "members.Society",
        verbose_name=_("承担学会"),
        on_delete=models.PROTECT,
        related_name="contest_projects",
    )
    branches = models.ManyToManyField(
        "members.Branch",
        verbose_name=_("协作基层组织"),
        blank=True,
        related_name="contest_projects",
    )
    title = models.CharField(_("项目名称"), max_length=200)
    domain = models.CharField(_("领域"), max_length=20, choices=Domain.choices)
    goal = models.TextField(_("项目目标"))
    result = models.TextField(_("成效"), blank=True)
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[branches])

    class Meta:
        verbose_name = _("比拼赛项目")
        verbose_name_plural = pgettext_lazy("several", "比拼赛项目")
        ordering = ["-year", "rank", "society__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "society", "title"],
                name="contestproject_unique_title",
                violation_error_message=_("该学会在本年度已有同名项目。"),
            ),
            models.UniqueConstraint(
                fields=["year", "rank"],
                condition=Q(rank__isnull=False),
                name="contestproject_unique_rank",
                violation_error_message=_("本年度已有项目获得该名次。"),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="contestproject_score_range",
                violation_error_message=_("得分须在 0 到 100 之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.title}"

    def get_absolute_url(self):
        return reverse("members:contest_year", args=[self.year]) + f"#project-{self.pk}"


class ProgressUpdate(models.Model):
    """A dated note on how a contest project is going."""

    project = models.ForeignKey(
        ContestProject,
        verbose_name=_("比拼赛项目"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    date = models.DateField(_("日期"))
    text = models.TextField(_("进展"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = pgettext_lazy("several", "项目进展")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date} · {self.project}"
