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
