"""The formats of the association's filing numbers, checked where staff type them.

- ICP filing (ICP备案号, MIIT): the province's one-character abbreviation,
  ``ICP备``, the number (8 or 10 digits; older filings have fewer) and ``号``,
  with the site's sequence after a dash when the filing covers several sites:
  浙ICP备12345678号-1.
- Public-security filing (公安备案号, 全国互联网安全管理服务平台): the
  abbreviation, ``公网安备``, 14 digits (the first six are the county's
  administrative code) and ``号``: 浙公网安备33048202000123号.

Both are stored as written once spaces and full-width characters are taken
out, so the footer shows them in the standard form.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.validators import normalize_digits

#: The abbreviations of the 31 provinces, autonomous regions and municipalities
#: of the mainland, where filings are made.
PROVINCES = "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵黔云滇藏陕秦甘陇青宁新"

ICP_RE = re.compile(rf"^[{PROVINCES}]ICP备[0-9]{{6,10}}号(?:-[0-9]{{1,3}})?$")
PSB_RE = re.compile(rf"^[{PROVINCES}]公网安备[0-9]{{14}}号$")
POSTCODE_RE = re.compile(r"^[1-8][0-9]{5}$")

_FULL_WIDTH = str.maketrans({"－": "-", "—": "-", "–": "-", "Ｉ": "I", "Ｃ": "C", "Ｐ": "P"})


def normalize_filing(value: str) -> str:
    """A filing number without spaces, in ASCII digits and letters."""
    value = normalize_digits(value or "").translate(_FULL_WIDTH)
    value = re.sub(r"\s+", "", value)
    return value.replace("icp", "ICP")


def validate_icp_number(value: str) -> None:
    if value and not ICP_RE.fullmatch(normalize_filing(value)):
        raise ValidationError(
            _("ICP备案号的格式应如“浙ICP备12345678号”或“浙ICP备12345678号-1”。"),
            code="icp_number",
        )


def validate_psb_number(value: str) -> None:
    if value and not PSB_RE.fullmatch(normalize_filing(value)):
        raise ValidationError(
            _("公安备案号的格式应如“浙公网安备33048202000123号”（14位数字）。"),
            code="psb_number",
        )


def psb_code(value: str) -> str:
    """The 14 digits the public-security filing's record page is found by."""
    return re.sub(r"[^0-9]", "", value or "")


def validate_postcode(value: str) -> None:
    if value and not POSTCODE_RE.fullmatch(normalize_digits(value).strip()):
        raise ValidationError(_("邮政编码是6位数字，如314200。"), code="postcode")
