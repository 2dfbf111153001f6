from django import template
from django.utils.html import escape, format_html
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


@register.simple_tag
def filter_field(bound_field):
    """One field of a filter form: its label, its select or input, its errors.

    Written out in Python: rendering each option through the form widget
    templates cost more than the rest of the list page, and the same through
    the template language (``_filter_field.html``, now this) was still most of it."""
    field = bound_field.field
    field_id = bound_field.id_for_label
    errors = bound_field.errors
    html = [
        format_html(
            '<label class="form-label small mb-1" for="{}">{}</label>\n',
            field_id,
            bound_field.label,
        )
    ]
    choices = getattr(field, "choices", None)
    if choices is not None:
        current = bound_field.value()
        current = "" if current is None else str(current)
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
        html.append(
            format_html(
                '<select class="form-select form-select-sm" name="{}" id="{}">\n{}\n</select>\n',
                bound_field.html_name,
                field_id,
                mark_safe(options),  # noqa: S308 (escaped above)
            )
        )
    else:
        value = field.widget.format_value(bound_field.value())
        invalid = (
            format_html(' aria-invalid="true" aria-describedby="{}_error"', field_id)
            if errors
            else ""
        )
        html.append(
            format_html(
                '<input type="{}" name="{}"{} class="{}"{} id="{}">\n',
                field.widget.input_type,
                bound_field.html_name,
                format_html(' value="{}"', value) if value not in (None, "") else "",
                field.widget.attrs.get("class", "form-control form-control-sm"),
                invalid,
                field_id,
            )
        )
    html.extend(
        format_html('<div class="invalid-feedback d-block">{}</div>', error) for error in errors
    )
    return mark_safe("".join(html))  # noqa: S308 (each piece escaped)
