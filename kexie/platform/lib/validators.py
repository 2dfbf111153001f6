"""Validators shared by the apps."""

import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.listing import list_text
from kexie.platform.lib.uploads import check_content

# ASCII digits only: Python's \d also matches Arabic-Indic, Devanagari, full-width …
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Full-width punctuation a Chinese input method types around a number.
_FULL_WIDTH = str.maketrans({"＋": "+", "－": "-", "（": "(", "）": ")", "\u3000": " "})


def normalize_digits(value: str) -> str:
    """Every decimal digit of any script (full-width ０-９, Arabic-Indic, Persian,
    Devanagari …) as its ASCII digit. Other digit-like characters (superscripts,
    circled numbers) are left as they are, for validation to refuse."""
    if not value or value.isascii():
        # Nothing to change (a storm's sign-ups each pass here several times).
        return value or ""
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char
        for char in value or ""
    )


def normalize_phone(value: str) -> str:
    """A phone number as ASCII digits, without the spaces, dashes, brackets
    and +86 prefix people type around it. The one place every phone field goes
    through: whatever is not ASCII digits afterwards is refused by
    ``validate_mobile``."""
    if value and value.isascii() and value.isdigit() and not value.startswith("0086"):
        # ASCII digits only, as most numbers come: nothing to take away.
        return value
    value = normalize_digits(value or "").translate(_FULL_WIDTH)
    digits = re.sub(r"[\s\-()]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


#: A fixed line with its area code (0 and 9 to 11 digits), or a 400/800 service number.
LANDLINE_RE = re.compile(r"^(?:0[1-9][0-9]{8,10}|[48]00[0-9]{7})$")


def clean_contact_phone(value: str) -> str:
    """A contact number a person may call: a mobile (kept as its 11 digits) or
    a fixed line with its area code (kept as typed, in ASCII digits and
    punctuation); anything else is refused."""
    typed = normalize_digits(value or "").translate(_FULL_WIDTH).strip()
    digits = normalize_phone(typed)
    if MOBILE_RE.match(digits):
        return digits
    if LANDLINE_RE.match(digits):
        return typed
    raise ValidationError(_("请填写手机号码或带区号的固定电话。"), code="contact_phone")


def mask_phone(phone: str) -> str:
    """The number as shown back to its owner: 139****5678."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


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


# Uploads ------------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

#: Office documents, PDF and pictures by what their content is (``filetype``),
#: with the file name endings that may carry each.
DOCUMENT_TYPES = {
    "application/pdf": {".pdf"},
    "application/msword": {".doc"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.ms-excel": {".xls"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.ms-powerpoint": {".ppt"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
}
IMAGE_TYPES = {
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/webp": {".webp"},
    "image/gif": {".gif"},
}


@dataclass(frozen=True)
class CheckedUpload:
    mime: str
    extension: str  # without the dot, as the content says
    name: str  # the uploader's file name, cleaned, for display and downloads


def clean_file_name(name: str, default: str) -> str:
    """The last part of a path, without control characters, at most 200 characters."""
    cleaned = _CONTROL_RE.sub("", os.path.basename((name or "").replace("\\", "/")).strip())
    return cleaned[-200:] or default


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(size // 1024, 1)} KB"


def check_upload(upload, *, types: dict[str, set[str]], max_bytes: int) -> CheckedUpload:
    """Accept an upload only when its content is one of ``types`` and its name
    ends as that type's names do, within ``max_bytes``. Raises a translated
    ``ValidationError`` otherwise (``uploads.check_content``: pictures and PDFs
    read deeply)."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件过大：不能超过%(limit)s。"),
            code="file_too_large",
            params={"limit": size_label(max_bytes)},
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="file_empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in types:
        endings = list_text(sorted({e.lstrip(".").upper() for v in types.values() for e in v}))
        raise ValidationError(
            _("不支持该文件类型，只能上传 %(types)s 文件。"),
            code="file_type",
            params={"types": endings},
        )
    name = clean_file_name(upload.name, default=f"file.{kind.extension}")
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in types[kind.mime]:
        raise ValidationError(
            _("文件内容与扩展名不符，请检查后重新上传。"), code="file_type_mismatch"
        )
    # The first bytes say what a file starts as; a picture or a PDF is read
    # whole, so that one that is also another format is refused.
    check_content(upload.read(), kind.mime)
    upload.seek(0)
    return CheckedUpload(mime=kind.mime, extension=kind.extension, name=name)
