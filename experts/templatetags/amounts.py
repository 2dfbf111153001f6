"""Amounts of money kept in 万元 (budgets, fees), shown as the reader counts them."""

from django import template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

WAN = 10_000


@register.simple_tag
def wan_yuan_range(low: int | None, high: int | None) -> str:
    """「5–20 万元」 in Chinese. Other languages have no word for 万, and "5–20 10,000
    yuan" reads as a different sum: the yuan are written out ("¥50,000–¥200,000")."""
    if low is None and high is None:
        return ""
    chinese = (translation.get_language() or "zh-hans").startswith("zh")

    def amount(value: int) -> str:
        return str(value) if chinese else "¥" + number_format(value * WAN, force_grouping=True)

    if low is not None and high is not None:
        text = f"{amount(low)}–{amount(high)}" if low != high else amount(low)
    elif low is not None:
        text = f"≥ {amount(low)}"
    else:
        text = f"≤ {amount(high)}"
    return f"{text} {_('万元')}" if chinese else text
