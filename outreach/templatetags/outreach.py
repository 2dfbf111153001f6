from django import template
from django.utils.safestring import mark_safe

from kexie.platform.lib import pagecache
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
def seats_badge(event):
    """An event card's seats left; in a page stored by the page cache, filled
    in when the page is served, so that a sign-up does not make the whole
    page render again."""
    if pagecache.leaves_markers():  # a card cached apart (outreach.cards): no seats read
        html = ""
    else:
        html = selectors.seats_badge(event_id=event.pk, left=selectors.seats_left(event))
    return mark_safe(pagecache.fragment("seats", event.pk, html))  # noqa: S308 (rendered HTML)


@register.simple_tag
def select_options(bound_field):
    """``(value, label, selected)`` of a choice field, or None for other fields."""
    choices = getattr(bound_field.field, "choices", None)
    if choices is None:
        return None
    current = bound_field.value()
    current = "" if current is None else str(current)
    return [(str(value), label, str(value) == current) for value, label in choices]
