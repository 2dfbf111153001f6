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

import hashlib

from django import template
from django.contrib.admin import filters as admin_filters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_list import (
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.forms.widgets import HiddenInput, Select
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kexie.platform.adminsite.site import sidebar_html
from kexie.platform.lib.admin_lists import LargeTableAdminMixin, kept_results, row_texts

register = template.Library()


def kept_result_list(cl, texts=None, headers=None) -> dict:
    """The context of ``admin/change_list_results.html``, as Django's ``result_list``."""
    headers = list(result_headers(cl)) if headers is None else headers
    kept = isinstance(cl.model_admin, LargeTableAdminMixin) and not cl.formset
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": kept_results(cl, texts) if kept else list(results(cl)),
    }


#: The results block (headers and rows) of big tables' lists, kept in the
#: process under a digest of all it is drawn from (``_KeptResultListNode``).
_blocks: dict[str, str] = {}
_MAX_BLOCKS = 128


class _KeptResultListNode(InclusionAdminNode):
    """``{% kept_result_list cl %}``: for a ``LargeTableAdminMixin`` list, the
    whole block ``change_list_results.html`` renders (the headers, the rows)
    kept in the process under a digest of what it is drawn from: the headers
    as worked out for this request (labels, sort links and marks), and each
    row's text (``admin_lists.row_texts``: its values and the list's shape),
    the template chosen and the language (Django's template shows no CSRF
    token, and none is given to it). A changed value, another order or
    filter is another key; nothing to invalidate. On a miss the rows come
    from ``kept_results`` (each row kept in the cache), as before."""

    def render(self, context):
        (cl,), _kwargs = self.get_resolved_arguments(context)
        if not isinstance(cl.model_admin, LargeTableAdminMixin) or cl.formset:
            return super().render(context)
        texts = row_texts(cl)
        headers = list(result_headers(cl))
        opts = context["opts"]
        key = hashlib.sha256(
            repr(
                (
                    get_language(),
                    context.autoescape,
                    opts.label_lower,
                    _plain(headers),
                    texts[0],
                )
            ).encode()
        ).hexdigest()
        found = _blocks.get(key)
        if found is None:
            # As InclusionAdminNode renders it, with the rows' texts worked out above.
            template = context.template.engine.select_template(
                [
                    f"admin/{opts.app_label.lower()}/{opts.model_name}/{self.template_name}",
                    f"admin/{opts.app_label.lower()}/{self.template_name}",
                    f"admin/{self.template_name}",
                ]
            )
            found = template.render(context.new(kept_result_list(cl, texts, headers)))
            if len(_blocks) >= _MAX_BLOCKS:
                _blocks.clear()
            _blocks[key] = found
        return mark_safe(found)  # noqa: S308 (rendered by Django's template)


@register.tag(name="kept_result_list")
def kept_result_list_tag(parser, token):
    return _KeptResultListNode(
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
    kind = type(value)
    # The common kinds first, without a call each (keys of a few hundred values a page).
    if kind is str:
        return ("str", value)
    if kind is list or kind is tuple:
        return tuple(("str", m) if type(m) is str else _plain(m) for m in value)
    if isinstance(value, list | tuple):
        return tuple(_plain(member) for member in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if value is None or isinstance(value, bool | int):
        return value
    return (kind.__name__, str(value))


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
    """Django's ``{% admin_list_filter cl spec %}``, its HTML kept. Under all
    that Django's own filters (``_filter_state``) work their choices out of,
    without working them out (a link for each choice: a millisecond for the
    events' five filters); any other filter under its choices (their links,
    labels, which is selected), worked out each time. A filter with a
    template of its own is rendered as Django renders it (it may show more of
    ``spec``)."""

    def render(choices=None):
        if choices is None:
            choices = list(spec.choices(cl))
        return get_template(spec.template).render(
            {"title": spec.title, "choices": choices, "spec": spec}
        )

    if spec.template != "admin/filter.html":
        return render()
    state = _filter_state(cl, spec)
    if state is not None:
        return mark_safe(_kept_html(("filter-state", _plain(spec.title), *state), render))  # noqa: S308
    choices = list(spec.choices(cl))
    return mark_safe(  # noqa: S308
        _kept_html(("filter", _plain(spec.title), _plain(choices)), lambda: render(choices))
    )


#: Django's filters whose ``choices()`` (read in Django 5.2) show nothing but
#: the filter's own attributes, its field's (name, whether it may be empty,
#: its fixed choices) and the list's query string (``cl.filter_params``).
_DJANGOS_FILTERS = (
    admin_filters.BooleanFieldListFilter,
    admin_filters.ChoicesFieldListFilter,
    admin_filters.RelatedFieldListFilter,
    admin_filters.AllValuesFieldListFilter,
)
#: Attributes of a filter that are not what it shows (the field is keyed apart).
_NOT_STATE = frozenset({"field", "request", "queryset", "model", "model_admin"})


def _filter_state(cl, spec) -> tuple | None:
    """All ``spec.choices(cl)`` is worked out of, or None where that is not
    known: a filter of another class (or one that changes a method of
    Django's), counts shown beside the choices (queries), choices that are
    not a plain list (a queryset)."""
    kind = type(spec)
    if cl.add_facets or not issubclass(kind, _DJANGOS_FILTERS):
        return None
    django_class = next(base for base in kind.__mro__ if base in _DJANGOS_FILTERS)
    for name in ("choices", "include_empty_choice", "expected_parameters"):
        if getattr(kind, name, None) is not getattr(django_class, name, None):
            return None
    field = spec.field
    state = []
    for name, value in sorted(spec.__dict__.items()):
        if name in _NOT_STATE:
            continue
        if name == "lookup_choices" and not isinstance(value, list | tuple):
            return None
        state.append((name, _plain(value)))
    return (
        f"{django_class.__module__}.{django_class.__qualname__}",
        field.model._meta.label_lower if getattr(field, "model", None) else "",
        field.name,
        field.null,
        field.many_to_many,
        # A related field's choices are its rows (``lookup_choices``, in the state).
        _plain(list(field.flatchoices)) if field.choices else None,
        tuple(state),
        _plain_filter_params(cl),
    )


def _plain_filter_params(cl) -> tuple:
    """``_plain(cl.filter_params)``, worked out once for the list's filters."""
    found = getattr(cl, "_kept_filter_params", None)
    if found is None or found[0] is not cl.filter_params:
        found = cl._kept_filter_params = (cl.filter_params, _plain(cl.filter_params))
    return found[1]


@register.simple_tag
def kept_field(field):
    """``{{ field }}`` of the admin's action form (a choice of action, a
    hidden flag), its HTML kept under all it is drawn from: name, id, value,
    choices, attributes, whether it is required, disabled or in error."""
    key = _field_key(field)
    if key is None:
        return field.as_widget()
    return mark_safe(_kept_html(key, field.as_widget))  # noqa: S308


def _field_key(field) -> tuple | None:
    """All ``field``'s widget is drawn from, or None for a widget other than a
    select or a hidden input."""
    widget = field.field.widget
    if type(widget) not in (Select, HiddenInput):
        return None
    return (
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


class _KeptAdminNode(InclusionAdminNode):
    """One of Django's admin inclusion tags, its context worked out as Django
    does on each request and the HTML kept in the process (``_kept_html``)
    under ``keyer(context, values)``: every value its template reads. Only
    Django's template (or this project's ``templates/admin/``), never a
    model's own, which may read more (none of them shows a CSRF token);
    ``keyer`` gives None where it cannot tell, and the tag is rendered as
    Django renders it."""

    def __init__(self, parser, token, *, func, template_name, takes_context, keyer):
        super().__init__(
            parser, token, func=func, template_name=template_name, takes_context=takes_context
        )
        self.keyer = keyer

    def render(self, context):
        resolved_args, resolved_kwargs = self.get_resolved_arguments(context)
        values = self.func(*resolved_args, **resolved_kwargs)
        opts = context["opts"]
        template = context.template.engine.select_template(
            [
                f"admin/{opts.app_label.lower()}/{opts.model_name}/{self.template_name}",
                f"admin/{opts.app_label.lower()}/{self.template_name}",
                f"admin/{self.template_name}",
            ]
        )

        def render():
            new_context = context.new(values)
            csrf_token = context.get("csrf_token")
            if csrf_token is not None:
                new_context["csrf_token"] = csrf_token
            return template.render(new_context)

        if template.origin.template_name != f"admin/{self.template_name}":
            return render()
        key = self.keyer(context, values)
        if key is None:
            return render()
        key = (self.template_name, context.autoescape, opts.label_lower, *key)
        return mark_safe(_kept_html(key, render))  # noqa: S308 (rendered by Django's template)


def _pagination_key(context, values):
    cl = values["cl"]
    if cl.formset:
        return None
    # Django's is a generator: read once, here, for the key and the template.
    values["page_range"] = pages = list(values["page_range"])
    return (
        values["pagination_required"],
        _plain(pages),
        _plain(values["show_all_url"]),
        cl.result_count,
        cl.page_num,
        cl.paginator.num_pages,
        _plain(cl.filter_params),
    )


def _search_form_key(context, values):
    cl = values["cl"]
    return (
        bool(cl.search_fields),
        _plain(cl.query),
        _plain(cl.search_help_text),
        values["show_result_count"],
        cl.result_count,
        cl.full_result_count,
        cl.show_full_result_count,
        bool(cl.is_popup),
        bool(cl.add_facets),
        _plain(cl.params),
        values["search_var"],
        values["is_popup_var"],
        values["is_facets_var"],
    )


def _date_hierarchy_key(context, values):
    return ("dates", _plain(values or {}))


def _actions_key(context, values):
    cl = context["cl"]
    fields = []
    for field in context["action_form"]:
        key = _field_key(field)
        if key is None:
            return None
        fields.append((_plain(field.label), key))
    return (
        context.get("action_index"),
        tuple(fields),
        bool(context.get("actions_selection_counter")),
        len(cl.result_list),
        cl.result_count,
        _plain(context.get("selection_note")),
        _plain(context.get("selection_note_all")),
        _plain(context.get("module_name")),
    )


def _object_tools_key(context, values):
    request = context.get("request")
    return (
        bool(context.get("has_add_permission")),
        _plain(context["cl"].opts.verbose_name),
        _plain(context.get("is_popup")),
        _plain(context.get("to_field")),
        _plain(context.get("preserved_filters")),
        _plain(context.get("preserved_qsl")),
        getattr(request, "current_app", None),
    )


def _kept_tag(name, func, template_name, takes_context, keyer):
    def compile_tag(parser, token):
        return _KeptAdminNode(
            parser,
            token,
            func=func,
            template_name=template_name,
            takes_context=takes_context,
            keyer=keyer,
        )

    register.tag(name=name)(compile_tag)


_kept_tag("kept_pagination", admin_list.pagination, "pagination.html", False, _pagination_key)
_kept_tag("kept_search_form", admin_list.search_form, "search_form.html", False, _search_form_key)
_kept_tag(
    "kept_date_hierarchy",
    admin_list.date_hierarchy,
    "date_hierarchy.html",
    False,
    _date_hierarchy_key,
)
_kept_tag("kept_admin_actions", admin_list.admin_actions, "actions.html", True, _actions_key)
_kept_tag(
    "kept_object_tools",
    lambda context: context,
    "change_list_object_tools.html",
    True,
    _object_tools_key,
)


#: Stands for the request's CSRF token in a kept block (put in on each use).
_CSRF_MARK = "kexie0kept0csrf0token0mark"


class _KeptBlockNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        token = context.get("csrf_token")
        if token is None:
            return self.nodelist.render(context)
        values = [_plain(value.resolve(context)) for value in self.values]
        key = ("block", self.origin.name, self.token.position, context.autoescape, *values)

        def render():
            with context.push(csrf_token=_CSRF_MARK):
                return self.nodelist.render(context)

        html = _kept_html(key, render)
        if _CSRF_MARK in html:
            html = html.replace(_CSRF_MARK, conditional_escape(str(token)))
        return mark_safe(html)  # noqa: S308 (rendered by Django's template)


@register.tag(name="kept_block")
def kept_block(parser, token):
    """``{% kept_block a b … %}…{% endkept_block %}``: what is inside, kept in
    the process under the values named (resolved each time: every value the
    inside reads must be named, as text, numbers, booleans or None: another
    object is keyed by its text) and the language; the request's CSRF token
    is put in on each use."""
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("endkept_block",))
    parser.delete_first_token()
    return _KeptBlockNode(nodelist, [parser.compile_filter(bit) for bit in bits])


@register.simple_tag
def media_key(media) -> str:
    """What a ``Media`` renders from (its paths, in order), or "" where they
    are not all plain paths: for ``kept_block``."""
    lists = (getattr(media, "_css_lists", None), getattr(media, "_js_lists", None))
    if lists[0] is None or lists[1] is None:
        return ""
    text = repr(lists)
    for css in lists[0]:
        for paths in (css or {}).values():
            if not all(isinstance(path, str) for path in paths):
                return ""
    for js in lists[1]:
        if not all(isinstance(path, str) for path in js or ()):
            return ""
    return text
