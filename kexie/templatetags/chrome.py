from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from kexie.platform.lib import chrome
from kexie.platform.lib.site import site_name
from kexie.portal.about import kept as about_kept

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site's header as kept per language, section and kind of visitor
    (``kexie.platform.lib.chrome``)."""
    request = context.get("request")
    return chrome.header(request, context.get("user"))


@register.simple_tag(takes_context=True)
def site_account(context):
    """The header's language and account links, kept as the header is."""
    return chrome.account(context.get("request"), context.get("user"))


@register.simple_tag
def site_footer():
    """The footer with the association's address, telephone and filing
    numbers, kept per process and language until the profile changes
    (``kexie.portal.about.kept``)."""
    return about_kept.footer()


@register.simple_tag
def kept_static(template, **vary):
    """``template`` rendered once per process, language and ``vary``: only for
    what shows no record and nothing of the visitor or the request
    (``kexie.platform.lib.chrome.static``)."""
    return chrome.static(template, **vary)


@register.simple_tag(takes_context=True)
def staff_header_top(context):
    """The staff pages' header up to the page's own links, kept per language
    and whether the page is the workbench (``chrome.static``)."""
    request = context.get("request")
    current = request is not None and request.path == reverse("workbench:home")
    return chrome.static("staff/_header_top.html", current=current)


@register.simple_tag(takes_context=True)
def staff_header_bottom(context):
    """The staff pages' header after the page's own links, kept per language
    and whether the visitor may use the admin (``chrome.static``)."""
    user = context.get("user")
    return chrome.static("staff/_header_bottom.html", admin=bool(user and user.is_staff))


@register.filter(needs_autoescape=True)
def with_site_name(title, autoescape=True):
    """A page's ``<title>`` ending with the site's name, once: every tab,
    bookmark and search result says whose page it is (``base.html`` wraps each
    page's title block in it; a title that already ends with the name is kept)."""
    escape = conditional_escape if autoescape else str
    title, name = str(escape(title)).strip(), escape(site_name())
    if not title:
        return mark_safe(name)
    if not name or title.endswith(name):
        return mark_safe(title)
    return mark_safe(f"{title} · {name}")
