"""Working days follow China's calendar: the Spring Festival week is off, the
weekend days worked in its place count, and staff fill in years the holiday
library does not know yet."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kexie.platform.workdays.calendar import (
    is_workday,
    library_years,
    working_days_before,
    working_days_between,
)
from kexie.platform.workdays.models import CalendarDay

PINGHU = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10):
    return datetime(year, month, day, hour, tzinfo=PINGHU)


@pytest.mark.django_db
def test_spring_festival_2026_week_is_not_working_days():
    # 15–23 February 2026 off, Saturday 14 and Saturday 28 February worked.
    assert [is_workday(date(2026, 2, d)) for d in range(13, 25)] == [
        True,  # Fri 13
        True,  # Sat 14: worked in place of a holiday (调休)
        *[False] * 9,  # Sun 15 to Mon 23
        True,  # Tue 24
    ]
    assert is_workday(date(2026, 2, 28))  # a Saturday, worked
    assert not is_workday(date(2026, 3, 1))  # an ordinary Sunday


@pytest.mark.django_db
def test_counting_across_the_spring_festival_counts_the_worked_saturday():
    # Thursday 12 Feb to Tuesday 24 Feb: Fri 13, Sat 14 and Tue 24 are working days.
    # (Monday to Friday alone would have said 8.)
    assert working_days_between(at(2026, 2, 12), at(2026, 2, 24)) == 3
    # Tue 24 to Sat 28 Feb (worked) and Mon 2 March; Sunday 1 March is off.
    assert working_days_between(at(2026, 2, 23), at(2026, 3, 2)) == 6


@pytest.mark.django_db
def test_two_working_days_before_the_day_after_the_holiday():
    # Tuesday 24 Feb minus two working days: Sat 14 Feb (Mon 23 to Sun 15 are off).
    assert working_days_before(at(2026, 2, 25), 2) == at(2026, 2, 14)
    assert working_days_before(at(2026, 2, 24), 1) == at(2026, 2, 14)


@pytest.mark.django_db
def test_national_day_week_is_off():
    # 1–7 October off: from Wednesday 30 September only Thursday 8 October counts.
    assert working_days_between(at(2026, 9, 30), at(2026, 10, 8)) == 1
    assert not is_workday(date(2026, 10, 5))


@pytest.mark.django_db
def test_a_year_the_library_does_not_know_falls_back_to_monday_to_friday():
    first, last = library_years()
    assert first <= 2026 <= last
    year = last + 1
    monday = date(year, 1, 4) if date(year, 1, 4).weekday() == 0 else None
    day = date(year, 3, 1)
    assert is_workday(day) == (day.weekday() < 5)
    assert monday is None or is_workday(monday)


@pytest.mark.django_db
def test_staff_rows_fill_in_an_unknown_year_and_override_the_library():
    year = library_years()[1] + 1
    holiday = date(year, 2, 8) if date(year, 2, 8).weekday() < 5 else date(year, 2, 9)
    worked_sunday = next(date(year, 2, d) for d in range(1, 8) if date(year, 2, d).weekday() == 6)
    assert is_workday(holiday) and not is_workday(worked_sunday)
    CalendarDay.objects.create(date=holiday, is_workday=False, note="春节")
    CalendarDay.objects.create(date=worked_sunday, is_workday=True, note="春节调休")
    assert not is_workday(holiday)
    assert is_workday(worked_sunday)
    # A row wins over the library too.
    CalendarDay.objects.create(date=date(2026, 2, 14), is_workday=False, note="更正")
    assert not is_workday(date(2026, 2, 14))


@pytest.mark.django_db
def test_counting_reads_the_overrides_once(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        working_days_between(at(2026, 1, 1), at(2026, 12, 31))
    with django_assert_max_num_queries(1):
        working_days_before(at(2026, 12, 31), 30)
