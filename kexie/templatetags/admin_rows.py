"""The admin's change lists and sidebar, kept.

``{% kept_result_list cl %}``: Django's ``{% result_list cl %}``, with the
rows of a ``LargeTableAdminMixin`` list kept (``admin_lists.kept_results``).

Used by ``templates/admin/change_list.html``; every other change list (and
one with editable rows) gets Django's own rows.

``{% kept_nav_sidebar %}``: Django's sidebar (``admin/nav_sidebar.html``),
kept with the user's list of apps (``adminsite.site.sidebar_html``); used by
``templates/admin/base_site.html``.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import (
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.safestring import mark_safe

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
