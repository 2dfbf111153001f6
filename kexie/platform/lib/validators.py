"""Validators shared by the apps."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: Python's \d also matches Arabic-Indic, Devanagari, full-width …
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Full-width punctuation a Chinese input method types around a number.
_FULL_WIDTH = str.maketrans({"＋": "+", "－": "-", "（": "(", "）": ")", "\u3000": " "})


def normalize_digits(value: str) -> str:
    """Every decimal digit of any script (full-width ０-９, Arabic-Indic, Persian,
    Devanagari …) as its ASCII digit. Other digit-like characters (superscripts,
    circled numbers) are left as they are, for validation to refuse."""
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char
        for char in value or ""
    )


def normalize_phone(value: str) -> str:
    """A phone number as ASCII digits, without the spaces, dashes, brackets
    and +86 prefix people type around it. The one place every phone field goes
    through: whatever is not ASCII digits afterwards is refused by
    ``validate_mobile``."""
    value = normalize_digits(value or "").translate(_FULL_WIDTH)
    digits = re.sub(r"[\s\-()]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.fullmatch(normalize_phone(value)):
        raise ValidationError(
            _("请输入有效的11位手机号码。"), code="invalid_phone", params={"value": value}
        )


# 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet
# without I, O, S, V, Z; the last one is a check character over the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalize_credit_code(value: str) -> str:
    """Upper case without the spaces people paste around the code."""
    return re.sub(r"\s", "", value or "").upper()


def credit_code_check_char(first17: str) -> str:
    """The check character of the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if not CREDIT_CODE_RE.match(code):
        raise ValidationError(
            _("统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z）。"),
            code="invalid_credit_code",
            params={"value": value},
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码的校验位不正确，请核对后重新填写。"),
            code="credit_code_checksum",
            params={"value": value},
        )
