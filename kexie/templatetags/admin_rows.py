"""The admin's change lists and sidebar, kept.

``{% kept_result_list cl %}``: Django's ``{% result_list cl %}``, with the
rows of a ``LargeTableAdminMixin`` list kept (``admin_lists.kept_results``).

Used by ``templates/admin/change_list.html``; every other change list (and
one with editable rows) gets Django's own rows.

``{% kept_nav_sidebar %}``: Django's sidebar (``admin/nav_sidebar.html``),
kept with the user's list of apps (``adminsite.site.sidebar_html``); used by
``templates/admin/base_site.html``.

``{% kept_list_filter cl spec %}`` and ``{% kept_field field %}``: a change
list's filters and the fields of its action form (Django renders the select
through the form renderer's templates), their HTML kept in the process under
everything it is drawn from, worked out on each request: the filter's title
and choices (links, labels, which is selected), the field's name, value,
choices and attributes; the language. Nothing to invalidate: other choices
are another key. Used by ``templates/admin/change_list.html`` and
``templates/admin/actions.html``.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import (
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.forms.widgets import HiddenInput, Select
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kexie.platform.adminsite.site import sidebar_html
from kexie.platform.lib.admin_lists import LargeTableAdminMixin, kept_results

register = template.Library()


def kept_result_list(cl) -> dict:
    """The context of ``admin/change_list_results.html``, as Django's ``result_list``."""
    headers = list(result_headers(cl))
    kept = isinstance(cl.model_admin, LargeTableAdminMixin) and not cl.formset
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": kept_results(cl) if kept else list(results(cl)),
    }


@register.tag(name="kept_result_list")
def kept_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=kept_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


@register.simple_tag(takes_context=True)
def kept_nav_sidebar(context):
    """Django's ``{% include "admin/nav_sidebar.html" %}``, kept (``sidebar_html``)."""
    html = sidebar_html(context["request"], context.get("available_apps") or [])
    return mark_safe(html)  # noqa: S308 (rendered by Django's template)


#: HTML of the admin's filters and action fields, kept in the process under
#: everything it is rendered from (``_kept_html``).
_kept: dict[tuple, str] = {}
_MAX_KEPT = 4096


def _plain(value):
    """``value`` as a key: text with its kind (a safe string renders
    unescaped, so it is another key), sequences member by member."""
    if isinstance(value, list | tuple):
        return tuple(_plain(member) for member in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if value is None or isinstance(value, bool | int):
        return value
    return (type(value).__name__, str(value))


def _kept_html(key: tuple, render) -> str:
    key = (get_language(), *key)
    found = _kept.get(key)
    if found is None:
        found = str(render())
        if len(_kept) >= _MAX_KEPT:
            _kept.clear()
        _kept[key] = found
    return found


@register.simple_tag
def kept_list_filter(cl, spec):
    """Django's ``{% admin_list_filter cl spec %}``: the filter's choices
    (their links, labels, which is selected) worked out each time, their HTML
    kept under them. A filter with a template of its own is rendered as
    Django renders it (it may show more of ``spec``)."""
    choices = list(spec.choices(cl))

    def render():
        return get_template(spec.template).render(
            {"title": spec.title, "choices": choices, "spec": spec}
        )

    if spec.template != "admin/filter.html":
        return render()
    return mark_safe(_kept_html(("filter", _plain(spec.title), _plain(choices)), render))  # noqa: S308


@register.simple_tag
def kept_field(field):
    """``{{ field }}`` of the admin's action form (a choice of action, a
    hidden flag), its HTML kept under all it is drawn from: name, id, value,
    choices, attributes, whether it is required, disabled or in error."""
    widget = field.field.widget
    if type(widget) not in (Select, HiddenInput):
        return field.as_widget()
    key = (
        "field",
        type(widget).__name__,
        field.html_name,
        field.auto_id,
        _plain(field.value()),
        _plain(widget.attrs),
        _plain(list(getattr(widget, "choices", ()))),
        field.field.required,
        field.field.disabled,
        field.form.use_required_attribute,
        bool(field.errors),
        _plain(field.help_text),
    )
    return mark_safe(_kept_html(key, field.as_widget))  # noqa: S308
