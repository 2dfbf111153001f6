from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """A day whose working status staff set by hand.

    The holiday calendar library knows the years the State Council has
    announced; for a later year (announced each November) staff enter its
    holidays and worked weekend days (调休) here until the library is
    upgraded. A row also overrides the library, to correct it.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是工作日"), help_text=_("勾选表示上班（如调休的周末），不勾选表示放假。")
    )
    note = models.CharField(
        _("说明"), max_length=50, blank=True, help_text=_("例如：春节、国庆调休。")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = pgettext_lazy("several", "节假日调整")
        ordering = ["date"]

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {kind}"
