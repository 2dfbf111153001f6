from django import template
from django.utils import translation
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
def filter_field(bound_field, filterset=None):
    """One field of a filter form: its label, its select or input, its errors.

    Written out in Python: rendering each option through the form widget
    templates cost more than the rest of the list page, and the same through
    the template language was still most of it. The options of a list of
    choices are written once per process and language (``_options``)."""
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
        declared = filterset.filters.get(bound_field.name) if filterset is not None else None
        options = _options(
            choices, declared.extra.get("choices") if declared else None, bound_field.html_name
        )
        chosen = f'<option value="{escape(current)}">'
        if chosen in options:
            options = options.replace(chosen, chosen[:-1] + " selected>", 1)
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
        maxlength = field.widget.attrs.get("maxlength")
        html.append(
            format_html(
                '<input type="{}" name="{}"{} class="{}"{}{} id="{}">\n',
                field.widget.input_type,
                bound_field.html_name,
                format_html(' value="{}"', value) if value not in (None, "") else "",
                field.widget.attrs.get("class", "form-control form-control-sm"),
                format_html(' maxlength="{}"', maxlength) if maxlength else "",
                invalid,
                field_id,
            )
        )
    html.extend(
        format_html('<div class="invalid-feedback d-block">{}</div>', error) for error in errors
    )
    return mark_safe("".join(html))  # noqa: S308 (each piece escaped)


#: (id of a list of choices, field, language) → (that list, its options' HTML). The
#: list is held, so its id is never another's while it is here; a list of
#: records' choices is a new list after a write (selectors.filter_choices).
_written_options: dict[tuple[int, str, str], tuple[list, str]] = {}


def _options(choices, source, name: str) -> str:
    """The ``<option>`` elements of ``choices``, none selected; kept when
    ``source`` is the list they come from (a filter's declared choices: the
    form's fields hold copies)."""
    key = (id(source), name, translation.get_language() or "")
    if isinstance(source, list):
        found = _written_options.get(key)
        if found is not None and found[0] is source:
            return found[1]
    html = "".join(
        f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
    )
    if isinstance(source, list):
        if len(_written_options) > 200:
            _written_options.clear()
        _written_options[key] = (source, html)
    return html
