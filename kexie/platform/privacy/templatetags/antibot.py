from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kexie.platform.lib.antibot import HONEYPOT_FIELD, STAMP_FIELD, stamp

register = template.Library()


@register.simple_tag
def antibot_fields(data=None):
    """The honeypot (off screen, skipped by keyboard and screen readers) and
    the time the form was served (kept from ``data``, the form's posted data,
    when it is shown again)."""
    return format_html(
        '<div class="antibot-field" aria-hidden="true"><label for="id_{0}">{1}</label>'
        '<input type="text" name="{0}" id="id_{0}" value="" tabindex="-1" autocomplete="off">'
        '</div><input type="hidden" name="{2}" value="{3}">',
        HONEYPOT_FIELD,
        _("请勿填写此栏"),
        STAMP_FIELD,
        stamp(data),
    )
