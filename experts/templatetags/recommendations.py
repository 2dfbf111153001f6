from django import template

from experts.matching.reasons import reason_text as _reason_text

register = template.Library()


@register.filter
def reason_text(reason) -> str:
    """A recommendation reason in the reader's language (``experts.matching.reasons``)."""
    return _reason_text(reason)
