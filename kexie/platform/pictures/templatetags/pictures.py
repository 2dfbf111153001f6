"""``{% picture obj.cover "thumb" %}``: an ``<img>`` of one rendition with its
size (no layout shift), its alternative text and lazy loading."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def picture(picture, size: str, css_class: str = "", eager: bool = False):
    if picture is None:
        return ""
    found = picture.rendition(size)
    if not found:
        return ""
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}"{}{} decoding="async">',
        picture.url(size),
        found["width"],
        found["height"],
        picture.alt,
        format_html(' class="{}"', css_class) if css_class else "",
        "" if eager else mark_safe(' loading="lazy"'),
    )


@register.simple_tag
def picture_url(picture, size: str) -> str:
    return picture.url(size) if picture is not None else ""
