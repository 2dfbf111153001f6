"""Working days (Monday to Friday) for "stuck longer than N working days".

Public holidays and the weekends worked in their place are not modelled: the
thresholds are alerts, and a day early around a holiday does no harm.
"""

from datetime import datetime, timedelta

from django.utils import timezone


def working_days_before(moment: datetime, days: int) -> datetime:
    """The moment ``days`` working days before ``moment``, at the same time of day."""
    # Count in local time: a Monday morning in Pinghu is still Sunday in UTC.
    current = timezone.localtime(moment)
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    count = 0
    current = timezone.localtime(start)
    end = timezone.localtime(end)
    while True:
        current += timedelta(days=1)
        if current > end:
            return count
        if current.weekday() < 5:
            count += 1
