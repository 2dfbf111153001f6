"""Validators shared by the apps."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(value: str) -> str:
    """Strip the spaces, dashes and +86 prefix people type around a mobile number."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("请输入有效的11位手机号码。"), code="invalid_phone", params={"value": value}
        )
