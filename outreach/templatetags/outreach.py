from django import template

from members.models import Branch, Society
from outreach import selectors

register = template.Library()


@register.simple_tag
def organisation_from(org, section=None):
    """The organisation an include was given directly, or through a
    ``members.org_sections`` section."""
    if org:
        return org
    return section.get("org") if isinstance(section, dict) else None


@register.simple_tag
def upcoming_events_for_org(org, limit=5):
    """The next events of a society or branch: ``{% upcoming_events_for_org org as events %}``."""
    if isinstance(org, Society):
        return selectors.upcoming_events_for_org(society=org, limit=limit)
    if isinstance(org, Branch):
        return selectors.upcoming_events_for_org(branch=org, limit=limit)
    return []


@register.filter
def seats_left(event):
    return selectors.seats_left(event)


@register.simple_tag
def select_options(bound_field):
    """``(value, label, selected)`` of a choice field, or None for other fields."""
    choices = getattr(bound_field.field, "choices", None)
    if choices is None:
        return None
    current = bound_field.value()
    current = "" if current is None else str(current)
    return [(str(value), label, str(value) == current) for value, label in choices]
