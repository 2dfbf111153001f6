from django import template

from kexie.platform.lib import chrome

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
    return chrome.footer()


@register.simple_tag
def kept_static(template, **vary):
    """``template`` rendered once per process, language and ``vary``: only for
    what shows no record and nothing of the visitor or the request
    (``kexie.platform.lib.chrome.static``)."""
    return chrome.static(template, **vary)
