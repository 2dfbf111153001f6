"""Dates read the same way on every English page (8 Jun 2026, as the event times
"Mon 8 Jun 2026, 14:00" do), and the Chinese way on the Chinese ones."""

from datetime import UTC, date, datetime

import pytest
from django.utils import formats, translation


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "8 Jun 2026", "Mon 8 Jun 2026, 14:00"),
        ("zh-hans", "2026年6月8日", "2026年6月8日 星期一 14:00"),
    ],
)
def test_a_day_and_a_moment_in_each_language(language, day, moment):
    with translation.override(language):
        assert formats.date_format(date(2026, 6, 8)) == day
        two_pm = datetime(2026, 6, 8, 14, 0, tzinfo=UTC)
        assert formats.date_format(two_pm, "DATETIME_FORMAT") == moment
