"""A part of a page kept in the cache for signed-in visitors.

The page cache (``pagecache.py``) serves whole pages to anonymous visitors
only; a signed-in visitor's page is rendered every time, its menu and its
forms being their own. Most of such a page is often the same as before: the
board's needs, a dashboard's lists. ``part()`` keeps that part's HTML through
``parts.cached_parts`` (the store of every part kept apart from its page)
under its name, what it varies on (the query string, the user), the language
and a stamp of the *generations* of the page-cache domains it shows, so the
first request after a write to one of them renders it afresh, as the page
cache does. A part may also name page-cache *dependencies* (``outreach.event:12``,
which a sign-up to that event bumps) to be rendered afresh after those
fine-grained writes too. What changes otherwise (the clock) shows within
``seconds``.

CSRF tokens in the part are stored as a placeholder and replaced by the
visitor's own when served. A request inside a transaction (a test's, or a
view that writes first) neither reads nor fills it: it may see uncommitted rows.
Redis unavailable: the part is rendered, as without the cache.
"""

import hashlib
import re
from collections.abc import Callable, Iterable

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from kexie.platform.lib import parts

#: How long a part is kept at most.
PART_SECONDS = 60
_PLACEHOLDER = "\x00kexie-part-csrf\x00"
_TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_MAX_QUERY = 512


def query_of(request, names: Iterable[str]) -> str | None:
    """The request's query string as a key's part (sorted) when it holds only
    the parameters ``names``, each once; None (the part is not kept) for any
    other: junk in a query string must neither fill the cache with an entry
    per request nor be shown, in a pager's links, to the next visitor."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > _MAX_QUERY:
        return None
    names = set(names)
    seen = set()
    for name, values in request.GET.lists():
        if name not in names or len(values) != 1 or name in seen:
            return None
        seen.add(name)
    return "&".join(sorted(query.split("&")))


def part(
    request,
    name: str,
    *,
    domains: Iterable[str],
    render: Callable[[], str],
    vary: Iterable[object] = (),
    dependencies: Iterable[str] = (),
    seconds: int = PART_SECONDS,
) -> SafeString:
    """The HTML ``render()`` returns, or the same kept from an earlier request
    with the same ``vary`` while the ``domains`` and ``dependencies`` are
    unchanged. ``vary`` holds None to mean "do not keep this one"."""
    vary = tuple(vary)
    if seconds <= 0 or None in vary:
        return mark_safe(render())  # noqa: S308 (rendered by a template)
    key = hashlib.sha256("|".join(map(str, vary)).encode()).hexdigest()[:32]
    stamp = (*(parts.generation(domain) for domain in domains), *dependencies)
    html = parts.cached_parts(
        f"part.{name}",
        [key],
        stamp=lambda _key: stamp,
        render=lambda _keys: {key: _TOKEN_INPUT.sub(rf"\g<1>{_PLACEHOLDER}\g<2>", render())},
        seconds=seconds,
    )[key]
    if _PLACEHOLDER in html:
        html = html.replace(_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308
