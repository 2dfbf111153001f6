"""Working days for "stuck longer than N working days": China's calendar of
public holidays and worked weekend days, from ``kexie.platform.workdays``."""

from kexie.platform.workdays.calendar import (  # noqa: F401
    WorkCalendar,
    is_workday,
    working_days_before,
    working_days_between,
)
