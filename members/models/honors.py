from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Honor(models.Model):
    """An award or recognition (荣誉) granted to a person, a society or a branch."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        PREFECTURE = "prefecture", _("地市级")
        COUNTY = "county", _("县级")

    #: Highest level first, for rolls of honour.
    LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCIAL, Level.PREFECTURE, Level.COUNTY]

    name = models.CharField(_("荣誉名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    granted_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("获得者（个人）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="honors",
    )
    society = models.ForeignKey(
        "members.Society",
        verbose_name=_("获得者（学会）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="honors",
    )
    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("获得者（基层组织）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="honors",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = pgettext_lazy("several", "荣誉")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, society__isnull=True, branch__isnull=True)
                    | Q(person__isnull=True, society__isnull=False, branch__isnull=True)
                    | Q(person__isnull=True, society__isnull=True, branch__isnull=False)
                ),
                name="honor_exactly_one_recipient",
                violation_error_message=_("请选择一个获得者：个人、学会或基层组织（只能选一个）。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name} · {self.recipient}"

    @property
    def recipient(self):
        return self.person or self.society or self.branch
