"""Parts of pages cached apart from the page: an event's card, an article's
entry in a list, a block of the home page.

The page cache (``pagecache``) serves a whole page to an anonymous visitor
while nothing it shows has changed. Everyone else (a signed-in visitor, the
first visitor after a write, a page the cache does not keep) gets the page
rendered, and most of that rendering is parts that are the same for every
visitor of a language: twenty cards out of thousands of events, each changed
by a write to its own event. A part is stored under its kind, its key and the
language, together with its *stamp*: the current values of the page-cache
dependencies (``pagecache.bump_dependencies``) and domain generations it
names. It is used while that stamp is current and rendered again after any of
them is bumped.

Smaller values built from querysets (the filter form's choices) are kept
in the process under the generations of their domains (``cached_value``).

Why it is exact, as the page cache: the stamp is read before anything is
rendered, and every write bumps what it changes when it commits, so a part
rendered from data older than a write is stored under a stamp that the write
has already replaced. A part that shows a page-cache fragment (seats left) is
rendered with the fragment's placeholder (``pagecache.fragment_markers``) and
the fragment is put in each time the part is used.

The key also holds a digest of the release's templates and code
(``release``), so a new release never uses a part an older one rendered.
Redis down: every part is rendered.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable, Hashable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from django.utils.safestring import mark_safe

from kexie.platform.lib import pagecache

log = logging.getLogger(__name__)

#: How long a part is kept without being used: as long as a dependency.
PART_SECONDS = pagecache.DEPENDENCY_SECONDS

_release: list[str] = []

#: Folders of the code a part is rendered by (templates, template tags, models).
_CODE = ("templates", "kexie", "outreach", "experts", "members")


def release() -> str:
    """A digest of this release's templates and code (the name, size and time
    of each file) and of the site's name and address, the same in every
    process of one deployment: a new release never uses a part an older one
    rendered."""
    if not _release:
        digest = hashlib.sha256()
        # What the templates show of the settings.
        digest.update(f"{settings.SITE_NAME}|{settings.SITE_URL}|".encode())
        for folder in _CODE:
            for path in sorted((settings.BASE_DIR / folder).rglob("*")):
                if path.suffix in (".html", ".py", ".txt") and "migrations" not in path.parts:
                    found = path.stat()
                    digest.update(f"{path}:{found.st_size}:{found.st_mtime_ns};".encode())
        _release.append(digest.hexdigest()[:12])
    return _release[0]


def _text(key: Hashable) -> str:
    """A key as cache-key text: a tuple's members joined, booleans as 0 and 1."""
    members = key if isinstance(key, tuple) else (key,)
    text = ".".join(str(int(m)) if isinstance(m, bool) else str(m) for m in members)
    # ASCII, printable and no space: no whitespace (one check in C, for the
    # hundred keys of a page of rows).
    if not (text.isascii() and text.isprintable()) or " " in text:
        raise ValueError(f"part key must be ASCII without spaces: {key!r}")
    return text


def generation(domain: str) -> str:
    """A stamp's name for a page-cache domain's generation."""
    return f"gen:{domain}"


def _stamp_values(names: set[str], found_keys: dict) -> dict[str, object]:
    """name → its current value, from what ``get_many`` found; missing
    dependencies are created (a fresh value matches no stored part)."""
    values = {}
    for name in names:
        if name.startswith("gen:"):
            continue
        key = pagecache._dependency_key(name)
        if key not in found_keys:
            cache.add(key, secrets.randbits(40), timeout=pagecache.DEPENDENCY_SECONDS)
            found_keys[key] = cache.get(key)
        values[name] = found_keys[key]
    return values


def cached_parts(
    kind: str,
    keys: Iterable[Hashable],
    *,
    stamp: Callable[[Hashable], Iterable[str]],
    render: Callable[[list], dict],
    fragments: Callable[[Hashable], Iterable[tuple[str, int]]] | None = None,
    seconds: int = PART_SECONDS,
) -> dict:
    """key → the part's HTML (safe), each as it is now, in the active language.

    ``stamp(key)`` names what a change of the part bumps: page-cache
    dependencies, and domains' generations as ``generation(domain)``.
    ``render(keys)`` gives the HTML of the parts that were missing or out of
    date (key → HTML), rendered after their stamps were read; a placeholder
    of a page-cache fragment in it is put in here each time; ``fragments(key)``
    names those a part shows, read in the same round trip as the parts.
    ``seconds``: how long a part is kept at most, for what changes without a
    bump (the clock, a sign-up seen by a block that names only domains).
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    if connection.in_atomic_block:
        # Rows not yet committed may be read: neither read nor store (as the page cache).
        with pagecache.fragment_markers():
            rendered = {key: str(text) for key, text in render(keys).items()}
        ordered = [key for key in keys if key in rendered]
        texts = pagecache.resolve_fragments([rendered[key] for key in ordered])
        return {key: mark_safe(text) for key, text in zip(ordered, texts, strict=True)}  # noqa: S308
    language = translation.get_language() or "zh-hans"
    prefix = f"parts:{kind}:{release()}:{language}:"
    names = {key: tuple(stamp(key)) for key in keys}
    html: dict = {}
    fresh: dict = {}
    asked: list[str] = []
    found: dict | None = None
    try:
        every = set().union(*names.values())
        domains = tuple(sorted({name[4:] for name in every if name.startswith("gen:")}))
        dependency_keys = [pagecache._dependency_key(n) for n in every if not n.startswith("gen:")]
        if fragments is not None:
            asked = pagecache.fragment_keys([f for key in keys for f in fragments(key)], language)
        # The generations (with a clock's due moment: the page cache runs a
        # clock that is due, then reads that generation again), the
        # dependencies, the parts and their fragments: one round trip.
        found = cache.get_many(
            [
                *pagecache.generation_keys(domains),
                *dependency_keys,
                *(prefix + _text(key) for key in keys),
                *asked,
            ]
        )
        values = dict(
            zip(
                (generation(d) for d in domains),
                pagecache.generations_found(domains, found),
                strict=True,
            )
        )
        values.update(_stamp_values(every, found))
        stamps = {key: tuple(values[name] for name in names[key]) for key in keys}
        for key in keys:
            stored = found.get(prefix + _text(key))
            if isinstance(stored, tuple) and stored[0] == stamps[key]:
                html[key] = stored[1]
    except Exception:
        log.warning("parts: cache unavailable for %s", kind, exc_info=True)
        stamps = None
        found = None
    missing = [key for key in keys if key not in html]
    if missing:
        with pagecache.fragment_markers():
            rendered = render(missing)
        for key, text in rendered.items():
            html[key] = str(text)
            if stamps is not None:
                fresh[prefix + _text(key)] = (stamps[key], html[key])
        if fresh:
            try:
                cache.set_many(fresh, seconds)
            except Exception:
                log.warning("parts: could not store %s", kind, exc_info=True)
    ordered = [key for key in keys if key in html]
    texts = pagecache.resolve_fragments(
        [html[key] for key in ordered], prefetched=found, asked=asked
    )
    return {key: mark_safe(text) for key, text in zip(ordered, texts, strict=True)}  # noqa: S308


_values: dict[str, tuple[tuple, object]] = {}


def cached_value(
    name: str,
    domains: Iterable[str],
    compute: Callable[[], object],
    *,
    read: Callable[[tuple[str, ...]], tuple] | None = None,
) -> object:
    """``compute()``, kept in this process while the generations of ``domains``
    are those it was computed under (read first, so never older than them).
    For small values read by many pages: a filter form's choices. With no
    domains, kept for the life of the process (what only a release changes:
    the site's chrome, ``kexie.platform.lib.chrome``). ``read``: how the
    generations are read, ``pagecache.generations`` unless a caller has read
    them already for its request (``admin_lists._generations``)."""
    domains = tuple(domains)
    if connection.in_atomic_block and domains:
        return compute()
    if not domains:
        # Changed only by a release (a new process): nothing to read.
        found = _values.get(name)
        if found is None:
            found = _values[name] = ((), compute())
        return found[1]
    try:
        stamp = (read or pagecache.generations)(domains)
    except Exception:
        log.warning("parts: cache unavailable for %s", name, exc_info=True)
        return compute()
    found = _values.get(name)
    if found is not None and found[0] == stamp:
        return found[1]
    value = compute()
    _values[name] = (stamp, value)
    return value
