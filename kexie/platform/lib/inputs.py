"""Strict parsing of what a request brings: dates within the years the portal
deals in, ids made of ASCII digits within a database column's range.

Python is generous: ``int("²")`` fails but ``"²".isdigit()`` is true,
``int("٣")`` is 3, and a date of 9999-12-31 parses but overflows as soon as a
day is added to it or it is moved to UTC. A request's values go through these
helpers, so that what does not fit is a clear message (a form error) or "not
found", never a 500.
"""

import unicodedata
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Dates the portal accepts from a person (filters, forms): far enough either
#: way for any record, near enough that no arithmetic or time-zone shift overflows.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
#: The largest value of a 64-bit signed column (BigAutoField ids).
MAX_ID = 2**63 - 1


def validate_date_in_range(value) -> None:
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if day is not None and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            _("日期须在 %(min)s 到 %(max)s 之间。"),
            code="date_out_of_range",
            params={"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
        )


class DateInput(forms.DateInput):
    """A browser's date picker. Its value is always ISO (``2027-06-30``): the
    Chinese input formats start with ``2027/06/30``, which a date input cannot
    read, so a saved date would show empty and be lost on the next save."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser's date-and-time picker, its value ISO for the same reason."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BoundedDateField(forms.DateField):
    """A date between ``MIN_DATE`` and ``MAX_DATE``."""

    default_validators = [validate_date_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between ``MIN_DATE`` and ``MAX_DATE``."""

    default_validators = [validate_date_in_range]


def _unseen(char: str) -> bool:
    # White space, control and format characters (zero-width spaces, the
    # byte-order mark, direction marks and overrides).
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def strip_invisible(value: str) -> str:
    """``value`` without the characters nobody sees at either end."""
    start, end = 0, len(value)
    while start < end and _unseen(value[start]):
        start += 1
    while end > start and _unseen(value[end - 1]):
        end -= 1
    return value[start:end]


class VisibleCharField(forms.CharField):
    """Text that must show: a value made only of invisible characters is
    empty (so "required" refuses it), and those around the text are dropped."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return strip_invisible(value) or self.empty_value


def parse_id(value) -> int | None:
    """A positive id written in ASCII digits that a database column can hold;
    None for anything else (superscripts, other scripts' digits, signs,
    spaces inside, overflow)."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
