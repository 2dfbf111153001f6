"""The site's chrome (the header with its navigation, language switcher and
account links), rendered once per process for each language, section and
kind of visitor, and filled in per request. (The footer shows the
association's profile and is kept by ``kexie.portal.about.kept``.)

Every page has it, and rendering it through the template language cost about
half a millisecond a page, a tenth of a page the page cache does not serve. It
shows no record, only the site's name and links and what the visitor's role
gives them, so it is kept in the process (``parts.cached_value`` without
domains): it changes with a release (a new process), or a setting changed in a
test. What differs from one request to the next is a placeholder in the kept
text, put in each time: the page's address (the ``next`` of the sign-in and
language links), the visitor's name and the CSRF token of the sign-out form.
"""

from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kexie.platform.lib import parts
from kexie.platform.lib.site import site_name

HEADER = "includes/_site_header.html"
ACCOUNT = "includes/_site_account.html"

_NEXT = "\x00chrome-next\x00"
_NAME = "\x00chrome-name\x00"
_CSRF = "\x00chrome-csrf\x00"

#: The public navigation's sections: a link is marked current when the
#: page's path is (``/``) or contains its address.
SECTIONS = {
    "news": "/news/",
    "events": "/events/",
    "venues": "/venues/",
    "orgs": "/orgs/",
    "bang": "/bang/",
    "search": "/search/",
    "about": "/about/",
}

_kept: set[str] = set()


def _current(path: str) -> tuple[bool, ...]:
    return (path == "/", *(address in path for address in SECTIONS.values()))


def _visitor(user) -> tuple[bool, ...]:
    """What of the visitor the header shows, but their name."""
    if user is None or not user.is_authenticated:
        return ()
    return (
        bool(user.is_association_staff or user.is_org_manager),
        bool(user.is_staff),
        bool(user.pending_addresses),
    )


def _kept_text(name: str, render) -> str:
    _kept.add(name)
    return parts.cached_value(name, (), render)


def header(request, user) -> SafeString:
    """The site's header for this request."""
    return _kept_with_visitor("header", HEADER, request, user, current=True)


def account(request, user) -> SafeString:
    """The header's language links and the visitor's account links (the staff
    pages' header, which has its own navigation)."""
    return _kept_with_visitor("account", ACCOUNT, request, user, current=False)


def _kept_with_visitor(kind: str, template: str, request, user, *, current: bool):
    language = translation.get_language() or ""
    marked = _current(request.path if request is not None else "") if current else ()
    visitor = _visitor(user)
    flags = "".join("1" if flag else "0" for flag in (*marked, *visitor))
    name = f"chrome.{kind}:{language}:{len(visitor)}:{flags}"

    def render() -> str:
        context = {
            "current": dict(zip(("home", *SECTIONS), marked, strict=False)),
            "signed_in": bool(visitor),
            "workbench": bool(visitor) and visitor[0],
            "admin": bool(visitor) and visitor[1],
            "pending": bool(visitor) and visitor[2],
            "next_query": mark_safe(_NEXT),  # noqa: S308 (a placeholder)
            "user_name": mark_safe(_NAME),  # noqa: S308 (a placeholder)
            "csrf_token": _CSRF,
            "SITE_NAME": site_name(),
        }
        return get_template(template).render(context)

    text = _kept_text(name, render)
    here = request.get_full_path() if request is not None else ""
    text = text.replace(_NEXT, escape(quote(here, safe="/")))
    if visitor:
        text = text.replace(_NAME, escape(user.name)).replace(_CSRF, get_token(request))
    return mark_safe(text)  # noqa: S308 (rendered, and each piece put in escaped)


def static(template: str, **vary: object) -> SafeString:
    """A piece of a page that shows no record and nothing of the visitor or
    the request, only translations, links and the values ``vary`` gives it
    (a page's own heading and buttons): kept as the chrome is, per language
    and ``vary``."""
    language = translation.get_language() or ""
    name = f"chrome.static:{template}:{language}:{sorted(vary.items())!r}"
    return mark_safe(  # noqa: S308 (rendered by a template)
        _kept_text(
            name,
            lambda: get_template(template).render({**vary, "SITE_NAME": site_name()}),
        )
    )


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    """A test changed a setting (the site's name, the URLs, the languages)."""
    for name in _kept:
        parts._values.pop(name, None)
    _kept.clear()
