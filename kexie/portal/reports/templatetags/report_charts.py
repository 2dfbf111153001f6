"""Horizontal bar charts drawn on the server as inline SVG.

Labels on the left, the number printed at the end of each bar, black text on
a light bar: readable on screen, in print and in black and white.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

WIDTH = 640
LABEL_WIDTH = 170
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 18


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.simple_tag
def bar_chart(table, title=""):
    """``{% bar_chart table %}`` draws ``table.chart()``; nothing when it has no chart."""
    data = table.chart()
    if not data:
        return ""
    top = max((value for _label, value in data), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / top
    height = ROW_HEIGHT * len(data) + 4
    bars = format_html_join(
        "\n",
        '<g transform="translate(0,{})">'
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text></g>',
        (
            (
                index * ROW_HEIGHT + 2,
                LABEL_WIDTH - 8,
                BAR_HEIGHT - 4,
                label if len(label) <= 12 else label[:11] + "…",
                LABEL_WIDTH,
                0,
                f"{value * scale:.1f}",
                BAR_HEIGHT,
                LABEL_WIDTH + value * scale + 4,
                BAR_HEIGHT - 4,
                _number(value),
            )
            for index, (label, value) in enumerate(data)
        ),
    )
    return format_html(
        '<svg class="report-chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        height,
        title or table.title,
        bars,
    )


@register.filter
def figure(value):
    """Numbers with thousands separators; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return mark_safe(_number(value))
