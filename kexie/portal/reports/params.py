"""The report's parameters from the query string: a year or a range of years.

``?year=2025`` for one year, ``?from=2021&to=2025`` for a range (the five-year
review). A bad value raises ``ReportParamError`` with a message for the user.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

MIN_YEAR = 2000
MAX_YEAR = 2100
#: A range wider than this is refused: the tables stop being readable.
MAX_SPAN = 10


class ReportParamError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    first_year: int
    last_year: int

    @property
    def is_range(self) -> bool:
        return self.first_year != self.last_year

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def start(self) -> datetime:
        return datetime(self.first_year, 1, 1, tzinfo=timezone.get_current_timezone())

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime(self.last_year + 1, 1, 1, tzinfo=timezone.get_current_timezone())

    @property
    def label(self) -> str:
        if self.is_range:
            return _("%(first)s—%(last)s年") % {"first": self.first_year, "last": self.last_year}
        return _("%(year)s年") % {"year": self.first_year}

    def query(self) -> dict[str, int]:
        """The query parameters that select this period again."""
        if self.is_range:
            return {"from": self.first_year, "to": self.last_year}
        return {"year": self.first_year}


def _year(value: str, name: str) -> int:
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        raise ReportParamError(_("%(name)s须是四位数字的年份，例如 2025。") % {"name": name})
    year = int(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ReportParamError(
            _("%(name)s须在 %(min)s 到 %(max)s 年之间。")
            % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def period_from_query(query, *, today=None) -> Period:
    today = today or timezone.localdate()
    first, last = query.get("from", ""), query.get("to", "")
    if first or last:
        if not (first and last):
            raise ReportParamError(_("请同时填写起始年份和结束年份。"))
        first_year = _year(first, _("起始年份"))
        last_year = _year(last, _("结束年份"))
        if first_year > last_year:
            raise ReportParamError(_("起始年份不能晚于结束年份。"))
        if last_year - first_year + 1 > MAX_SPAN:
            raise ReportParamError(_("年份范围最多 %(span)s 年，请缩小范围。") % {"span": MAX_SPAN})
        return Period(first_year, last_year)
    year = query.get("year", "")
    if not year:
        return Period(today.year, today.year)
    year = _year(year, _("年份"))
    return Period(year, year)
