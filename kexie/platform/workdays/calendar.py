"""Working days in mainland China: weekends, public holidays and the weekend
days worked in their place (调休).

The days come from ``chinese_calendar`` (PyPI ``chinesecalendar``), whose
maintainers add each year once the State Council announces it, and from the
``CalendarDay`` rows staff enter, which win over the library. For a year the
library does not know and staff have not entered, Monday to Friday is assumed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
from django.utils import timezone

from kexie.platform.workdays.models import CalendarDay


def library_years() -> tuple[int, int]:
    """The first and last year the holiday library knows."""
    years = {day.year for day in chinese_calendar.holidays}
    return min(years), max(years)


@lru_cache(maxsize=4096)
def _library_is_workday(day: date) -> bool | None:
    # The library's tables do not change while the process runs, and each call
    # checks the date against them all: the staff workbench counts working days
    # for every open need (80,000 calls at 1,800 needs, 2.7 s), remembered here.
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@dataclass
class WorkCalendar:
    """The overrides of a span of days, read in one query."""

    overrides: dict[date, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, start: date | None = None, end: date | None = None) -> "WorkCalendar":
        """The overrides from ``start`` to ``end``; all of them (a few dozen
        rows a year) without a span."""
        rows = CalendarDay.objects.all()
        if start is not None and end is not None:
            start, end = min(start, end), max(start, end)
            rows = rows.filter(date__gte=start, date__lte=end)
        return cls(overrides=dict(rows.values_list("date", "is_workday")))

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        known = _library_is_workday(day)
        if known is not None:
            return known
        return day.weekday() < 5


# A working day is found within this many calendar days of any other in every
# known calendar (the longest break, Spring Festival, is about nine days); the
# spans read for the overrides are sized with it.
_SLACK_DAYS = 40


def is_workday(day: date) -> bool:
    return WorkCalendar.load(day, day).is_workday(day)


def working_days_before(
    moment: datetime, days: int, *, calendar: WorkCalendar | None = None
) -> datetime:
    """The moment ``days`` working days before ``moment``, at the same time of day."""
    # Count in local time: a Monday morning in Pinghu is still Sunday in UTC.
    current = timezone.localtime(moment)
    calendar = calendar or WorkCalendar.load(
        current.date() - timedelta(days=days * 2 + _SLACK_DAYS), current.date()
    )
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if calendar.is_workday(current.date()):
            remaining -= 1
    return current


def working_days_between(
    start: datetime, end: datetime, *, calendar: WorkCalendar | None = None
) -> int:
    """Whole working days from ``start`` to ``end`` (0 when ``end`` is earlier).

    Pass a ``calendar`` loaded for the span to count many spans with one query.
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        return 0
    calendar = calendar or WorkCalendar.load(start.date(), end.date())
    count = 0
    current = start
    while True:
        current += timedelta(days=1)
        if current > end:
            return count
        if calendar.is_workday(current.date()):
            count += 1
