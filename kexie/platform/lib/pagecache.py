"""Whole-page caching of public pages for anonymous visitors, with exact invalidation.

A page is stored under a key made of its path, its sorted query string, the
language, a time bucket and the *generation* of every data domain it shows
(``outreach``, ``experts``, ``members``, ``search``). A generation is a counter in the
cache; every committed write to a model of a domain bumps it, so the next
request after a sign-up, a cancellation, a promotion, an edit in the admin or a
need's change of status misses the cache and renders fresh figures. Old
entries are never deleted: nothing refers to them any more and they expire.
Every page also shows the association's profile in its footer, so every
page's key holds ``about``'s generation too (``EVERY_PAGE``), read in the same
round trip; what the page renders under the generations read for its key
takes them from ``request_generations`` instead of reading them again.

Writes are watched with ``post_save``, ``post_delete`` and ``m2m_changed`` on
the domains' models (connected in ``KexieConfig.ready``), because the admin,
the services, the Celery tasks and ``seed_demo`` all write through ``save()``.
This is cache bookkeeping, not business logic: the services stay the only place
where rules live. A service that writes with ``QuerySet.update()`` or
``bulk_update()`` and changes what a public page shows calls ``bump()`` itself.

Why it is exact:

- the bump runs in ``transaction.on_commit``: a reader in another process that
  rendered the old data while the write was in flight stored it under the old
  generation, which no request asks for after the commit;
- a view running inside a transaction (a test's, or ``ATOMIC_REQUESTS``) may
  see uncommitted rows, so it neither reads nor fills the cache;
- the time bucket (``PAGE_CACHE_SECONDS``, 60 by default) is part of the key,
  so what depends only on the clock ("upcoming", "sign-up opens at") is at most
  that old, and a bump lost while Redis was down is forgotten after it;
- a domain whose pages change at a known moment without any write (a scheduled
  article going public, a notice reaching its closing time) registers a
  *clock* (``register_clock``): the next such moment is kept in the cache
  beside the generation, read in the same round trip, and the first request
  at or after it bumps the generation, so the change shows at its time, not
  up to a bucket later.

Finer than a domain: a write to a model registered with ``register_fine``
(a sign-up) does not bump its domain but *dependencies* it names (its
event, ``outreach.event:12``). A page that shows such data calls
``depends_on(name, …)`` while it renders, before it reads the data (the
selectors do: ``outreach.selectors.events_for_cards``, ``event_detail``); the
values of those dependencies are stored with the page, and a hit is served
only while they are unchanged (one more round trip, for pages that have
any). So a sign-up re-renders the pages that show its event's seats, not
every outreach page: the cached event list keeps its rate through a storm.
A page that shows fine data without calling ``depends_on`` is stale until
its time bucket ends: ``tests/kexie/test_pagecache.py`` checks the pages
that show seats.

Finer still, a *fragment*: a part of a page that changes with such a write
(an event card's "余 N 个名额") is stored as a placeholder (``fragment()``,
``register_fragment``) and filled in when the page is served, from a value
cached under the dependency's current value and computed afresh (one small
query) after a bump. A page made only of such parts is never rendered again
because of a sign-up: the event list keeps its rate through a storm.

Who is served from the cache: ``PageCacheMiddleware`` runs before the session
and authentication, so it serves only visitors who have no session cookie (nobody
signed in, no message waiting in the session) and no message cookie; anyone
else gets the page rendered. The pages carry no per-visitor part but the CSRF
token of a form (the sign-up form on an event's page): it is replaced by a
placeholder before storing and by the visitor's own token when serving, and
the CSRF cookie is set exactly as on a rendered page.

Without ``REDIS_URL`` the cache is Django's per-process memory: generations
invalidate within one process only (tests, ``runserver``). A deployment with
several processes (gunicorn workers, Celery) must set ``REDIS_URL`` so that all
share one cache, or a write in one process leaves the others' pages stale for
up to ``PAGE_CACHE_SECONDS``.
"""

import contextlib
import contextvars
import dataclasses
import datetime
import functools
import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_max_age

from kexie.platform.lib.after_commit import redis_on_commit
from kexie.platform.middleware import language_of

log = logging.getLogger(__name__)

#: app label → domain whose generation a write to one of its models bumps.
DOMAINS = {
    "outreach": "outreach",
    "experts": "experts",
    "members": "members",
    "search": "search",
    "content": "content",
    "pictures": "pictures",
    "about": "about",
}

#: Domains every page shows whatever its view declares: the association's
#: profile in the footer (``kexie.portal.about``). ``public_page`` adds them.
EVERY_PAGE = ("about",)

#: Models whose writer bumps their domain itself, because it writes in bulk
#: (``bulk_create``, ``QuerySet.update``/``delete``), which sends no signal:
#: the search index (``kexie/portal/search/services.py``). Watching them would also
#: turn the index's bulk deletes into one query per row.
BUMPED_BY_WRITER = {"search.SearchDocument"}

#: model label → the dependencies a write to one of its rows changes, in
#: place of its domain (``register_fine``).
_fine: dict[str, Callable[[object], Iterable[str]]] = {}
#: How long a dependency's value is kept: far longer than a page, so a value
#: that expired only costs a page rendered once more.
DEPENDENCY_SECONDS = 24 * 3600
#: The dependencies read by the page being rendered for the cache (None
#: while no page is being rendered for it): name → value at reading time.
_reading: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pagecache_reading", default=None
)
_UNREADABLE = "\x00unreadable"
_FRAGMENTS = "\x00fragments"
_FRAGMENT = re.compile(rb"\x00frag:([a-z_]+):([0-9]+)\x00")
_FRAGMENT_TEXT = re.compile(r"\x00frag:([a-z_]+):([0-9]+)\x00")
#: Set while a part cached apart from the page renders (``fragment_markers``).
_markers_only: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "pagecache_markers_only", default=False
)


@dataclasses.dataclass(frozen=True)
class Fragment:
    #: The dependency whose bump changes the fragment of row ``pk``.
    dependency: Callable[[int], str]
    #: pk → HTML of each of ``pks`` as it is now, in the active language.
    render: Callable[[list[int]], dict[int, str]]


_fragment_kinds: dict[str, Fragment] = {}

_PLACEHOLDER = b"\x00kexie-csrf-token\x00"
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
_MAX_QUERY = 512
#: The generations the page cache read for the request being served (domain →
#: value; None outside ``PageCacheMiddleware``), for what the page renders
#: under them to use without another round trip (``request_generations``).
_request_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "pagecache_request_read", default=None
)


class _Recent:
    """A bounded map of what this process used lately (least recently used out)."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def set(self, key: str, page) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


#: The pages this process served lately, by key. A key names the generations
#: its page was rendered at, so an entry can never become wrong, only
#: unreachable: keeping a copy in the process is exact and spares a second
#: round trip to Redis. The generations are still read on every request.
local_pages = _Recent(size=256)
#: path → the domains of its view, () when it is not a public page.
_resolved = _Recent(size=4096)


@receiver(setting_changed)
def _urlconf_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _resolved.clear()


def _seconds() -> int:
    return settings.PAGE_CACHE_SECONDS


def _generation_key(domain: str) -> str:
    return f"pagecache:gen:{domain}"


def _due_key(domain: str) -> str:
    return f"pagecache:due:{domain}"


#: domain → a function returning the next moment its pages change by the clock
#: alone (an aware datetime), or None when nothing is due.
_clocks: dict[str, Callable[[], datetime.datetime | None]] = {}


def register_clock(domain: str, next_change: Callable[[], datetime.datetime | None]) -> None:
    """Let the pages of ``domain`` change at moments ``next_change`` names.

    ``next_change`` runs a query; it is called when a write to the domain
    commits (lazily, by the next request) and when the moment it named has come.
    """
    if domain not in set(DOMAINS.values()):
        raise ValueError(f"unknown page cache domain: {domain}")
    _clocks[domain] = next_change


def _store_next_due(domain: str) -> float:
    moment = _clocks[domain]()
    due = moment.timestamp() if moment is not None else 0.0
    cache.set(_due_key(domain), due, timeout=None)
    return due


def _run_clocks(domains: tuple[str, ...], found: dict) -> list[str]:
    """Bump each domain whose due moment has come; the domains bumped."""
    bumped = []
    now = time.time()
    for domain in domains:
        if domain not in _clocks:
            continue
        due = found.get(_due_key(domain))
        if due is None:
            due = _store_next_due(domain)
        if due and due <= now:
            bump(domain)
            _store_next_due(domain)
            bumped.append(domain)
    return bumped


def generations(domains: Iterable[str]) -> tuple[int, ...]:
    """The current generation of each domain, created at a random value when
    missing (a fresh value never matches a page stored before a cache flush).
    Domains with a clock whose moment has come are bumped first."""
    domains = tuple(domains)
    return generations_found(domains, cache.get_many(generation_keys(domains)))


def request_generations(domains: Iterable[str]) -> tuple[int, ...]:
    """``generations(domains)``, taken from what the page cache read for this
    request when it read them all (no other round trip). As exact: a value
    computed after those generations were read is at least as new as them."""
    domains = tuple(domains)
    read = _request_read.get()
    if read is not None and all(domain in read for domain in domains):
        return tuple(read[domain] for domain in domains)
    return generations(domains)


def generation_keys(domains: Iterable[str]) -> list[str]:
    """The cache keys ``generations_found`` reads the domains' generations
    from (their generations and, for a domain with a clock, its due moment):
    for a caller reading them in its own round trip with other keys."""
    domains = tuple(domains)
    return [_generation_key(domain) for domain in domains] + [
        _due_key(domain) for domain in domains if domain in _clocks
    ]


def generations_found(domains: tuple[str, ...], found: dict) -> tuple[int, ...]:
    """``generations(domains)`` from ``found``, what ``cache.get_many`` gave
    for ``generation_keys(domains)`` (and maybe more): the clocks that are
    due run, and a generation missing or bumped read again."""
    keys = [_generation_key(domain) for domain in domains]
    if any(domain in _clocks for domain in domains):
        for domain in _run_clocks(domains, found):
            found.pop(_generation_key(domain), None)
    values = []
    for key in keys:
        if key not in found:
            value = cache.get(key)
            if value is None:
                cache.add(key, secrets.randbits(40), timeout=None)
                value = cache.get(key)
            found[key] = value
        values.append(found[key])
    return tuple(values)


def bump(*domains: str) -> None:
    """Invalidate every cached page showing one of these domains, now."""
    for domain in domains:
        key = _generation_key(domain)
        try:
            try:
                cache.incr(key)
            except ValueError:  # missing: any new value will do
                cache.add(key, secrets.randbits(40), timeout=None)
            if domain in _clocks:
                # A write may have moved the next due moment: the next request
                # asks the clock again.
                cache.delete(_due_key(domain))
        except Exception:
            # Redis down: the page cache is down too; the time bucket bounds
            # what a lost bump can leave stale once it returns.
            log.warning("pagecache: could not bump %s", domain, exc_info=True)


def bump_on_commit(*domains: str) -> None:
    """Bump when the current transaction commits (at once outside one)."""
    transaction.on_commit(functools.partial(bump, *domains))


def register_fine(label: str, dependencies: Callable[[object], Iterable[str]]) -> None:
    """Writes to model ``label`` bump the dependencies ``dependencies(row)``
    names, not their domain. Every page showing what such a write changes
    must call ``depends_on`` with those names."""
    _fine[label] = dependencies


def _dependency_key(name: str) -> str:
    return f"pagecache:dep:{name}"


# Every dependency that exists is incremented, one that is missing stays
# missing (as ``cache.incr`` leaves it), in one round trip for all of them:
# ``cache.incr`` takes two per name (EXISTS, INCRBY), and a sign-up bumps one
# on every commit.
_BUMP_EXISTING = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('INCR', key) end
end
"""


def bump_dependencies(*names: str) -> None:
    """Invalidate every cached page that read one of these dependencies, now."""
    backend = caches["default"]
    if names and isinstance(backend, RedisCache):
        keys = [backend.make_and_validate_key(_dependency_key(name)) for name in names]
        try:
            backend._cache.get_client(keys[0], write=True).eval(_BUMP_EXISTING, len(keys), *keys)
        except Exception:
            log.warning("pagecache: could not bump %s", ", ".join(names), exc_info=True)
        return
    for name in names:
        try:
            cache.incr(_dependency_key(name))
        except ValueError:
            # Missing: no stored page can match a value created from now on.
            pass
        except Exception:
            log.warning("pagecache: could not bump %s", name, exc_info=True)


def bump_dependencies_on_commit(*names: str) -> None:
    """Bump these dependencies when the current transaction commits (at once
    outside one); with Redis, in the commit's one round trip with the other
    commands of the transaction (``after_commit.redis_on_commit``)."""
    backend = caches["default"]
    if not (names and isinstance(backend, RedisCache)):
        transaction.on_commit(functools.partial(bump_dependencies, *names))
        return
    keys = [backend.make_and_validate_key(_dependency_key(name)) for name in names]
    redis_on_commit(
        lambda pipe: pipe.eval(_BUMP_EXISTING, len(keys), *keys),
        functools.partial(_bumped, names),
    )


def _bumped(names: tuple[str, ...], results: list) -> None:
    if isinstance(results[0], Exception):
        log.warning("pagecache: could not bump %s", ", ".join(names), exc_info=results[0])


def depends_on(*names: str) -> None:
    """The page being rendered shows data of these dependencies: called
    before that data is read (a write committed after this reading bumps a
    value the page is stored with, so the page is never served stale). Does
    nothing unless the page is being rendered for the cache."""
    reading = _reading.get()
    if reading is None:
        return
    wanted = [name for name in names if name not in reading]
    if not wanted:
        return
    keys = {_dependency_key(name): name for name in wanted}
    try:
        found = cache.get_many(list(keys))
        for key in keys.keys() - found.keys():
            cache.add(key, secrets.randbits(40), timeout=DEPENDENCY_SECONDS)
            found[key] = cache.get(key)
    except Exception:
        log.warning("pagecache: could not read dependencies", exc_info=True)
        reading[_UNREADABLE] = True
        return
    for key, name in keys.items():
        reading[name] = found[key]


def register_fragment(
    kind: str, *, dependency: Callable[[int], str], render: Callable[[list[int]], dict[int, str]]
) -> None:
    """A kind of fragment (``fragment(kind, pk, html)``): ``dependency(pk)``
    names what a write bumps, ``render(pks)`` gives each fragment's HTML now."""
    if not re.fullmatch(r"[a-z_]+", kind):
        raise ValueError(f"fragment kind must be [a-z_]+: {kind}")
    _fragment_kinds[kind] = Fragment(dependency=dependency, render=render)


def fragment(kind: str, pk: int, html: str) -> str:
    """``html`` (what row ``pk`` shows now) where the page is not rendered for
    the cache; in a page rendered for it, a placeholder that is filled with
    the fragment's current HTML each time the page is served."""
    if kind not in _fragment_kinds:
        return html
    marker = f"\x00frag:{kind}:{int(pk)}\x00"
    if _markers_only.get():
        return marker
    reading = _reading.get()
    if reading is None:
        return html
    reading.setdefault(_FRAGMENTS, {})[marker.encode()] = html.encode()
    return marker


def _fill_fragments(request, body: bytes) -> bytes:
    """Each placeholder replaced by its fragment as it is now."""
    wanted: dict[tuple[str, int], None] = {}
    for match in _FRAGMENT.finditer(body):
        wanted[(match.group(1).decode(), int(match.group(2)))] = None
    if not wanted:
        return body
    html = current_fragments(wanted, language_of(request))
    return _FRAGMENT.sub(
        lambda m: html.get((m.group(1).decode(), int(m.group(2))), "").encode(), body
    )


def fragment_keys(wanted: Iterable[tuple[str, int]], language: str) -> list[str]:
    """The cache keys ``current_fragments`` reads for ``wanted``: a caller may
    read them in its own round trip and pass what it found."""
    keys = []
    for kind, pk in dict.fromkeys(wanted):
        keys.append(_dependency_key(_fragment_kinds[kind].dependency(pk)))
        keys.append(f"pagecache:frag:{kind}:{pk}:{language}")
    return keys


def current_fragments(
    wanted: Iterable[tuple[str, int]], language: str, *, prefetched: dict | None = None
) -> dict:
    """(kind, pk) → the fragment's HTML as it is now, in ``language``. One read
    fetches the dependencies and the fragments together (or ``prefetched``,
    what a read of at least ``fragment_keys(wanted)`` found); a fragment is
    stored with the dependency value it was rendered under and used only while
    that value is current. The missing or outdated ones are rendered after the
    reading, so never older than it."""
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return {}
    names = {(kind, pk): _fragment_kinds[kind].dependency(pk) for kind, pk in wanted}
    keys = {(kind, pk): f"pagecache:frag:{kind}:{pk}:{language}" for kind, pk in wanted}
    dependency_keys = {name: _dependency_key(name) for name in set(names.values())}
    if prefetched is not None:
        found = dict(prefetched)
    else:
        found = cache.get_many([*dependency_keys.values(), *keys.values()])
    values = {}
    for name, key in dependency_keys.items():
        if key not in found:
            cache.add(key, secrets.randbits(40), timeout=DEPENDENCY_SECONDS)
            found[key] = cache.get(key)
        values[name] = found[key]
    html = {}
    for place, key in keys.items():
        stored = found.get(key)
        if isinstance(stored, tuple) and stored[0] == values[names[place]]:
            html[place] = stored[1]
    missing: dict[str, list[int]] = {}
    for kind, pk in wanted:
        if (kind, pk) not in html:
            missing.setdefault(kind, []).append(pk)
    if missing:
        fresh = {}
        with translation.override(language):
            for kind, pks in missing.items():
                for pk, text in _fragment_kinds[kind].render(pks).items():
                    html[(kind, pk)] = text
                    fresh[keys[(kind, pk)]] = (values[names[(kind, pk)]], text)
        cache.set_many(fresh, DEPENDENCY_SECONDS)
    return html


class _NotCached(Exception):
    pass


def leaves_markers() -> bool:
    """Whether ``fragment()`` will leave its placeholder whatever HTML it is given."""
    return _markers_only.get()


@contextlib.contextmanager
def fragment_markers():
    """While active, ``fragment()`` leaves its placeholder whoever renders:
    for a part of a page cached apart from the page (``kexie.platform.lib.parts``),
    whose fragments ``resolve_fragments`` puts in each time it is used."""
    token = _markers_only.set(True)
    try:
        yield
    finally:
        _markers_only.reset(token)


def resolve_fragments(
    texts: list[str], *, prefetched: dict | None = None, asked: Iterable[str] = ()
) -> list[str]:
    """The placeholders in ``texts`` (parts rendered under ``fragment_markers``)
    made what ``fragment()`` would have made now: left in, with their current
    HTML noted, when the page is rendered for the cache; else replaced by it.
    One read of the cache for all of them, none when ``prefetched`` (what a
    read of the keys ``asked`` found) holds them."""
    wanted = [(kind, int(pk)) for text in texts for kind, pk in _FRAGMENT_TEXT.findall(text)]
    if not wanted:
        return texts
    try:
        if connection.in_atomic_block:
            raise _NotCached  # rows not yet committed may be read: render
        language = translation.get_language() or settings.LANGUAGE_CODE
        if prefetched is not None and not set(fragment_keys(wanted, language)) <= set(asked):
            prefetched = None
        current = current_fragments(wanted, language, prefetched=prefetched)
    except Exception as exc:
        if not isinstance(exc, _NotCached):
            log.warning("pagecache: fragments unavailable", exc_info=True)
        current = {}
        for kind in {kind for kind, _pk in wanted}:
            pks = list(dict.fromkeys(pk for other, pk in wanted if other == kind))
            current.update(
                ((kind, pk), text) for pk, text in _fragment_kinds[kind].render(pks).items()
            )
    if _reading.get() is not None:
        for (kind, pk), text in current.items():
            fragment(kind, pk, text)
        return texts
    return [
        _FRAGMENT_TEXT.sub(lambda m: current.get((m.group(1), int(m.group(2))), ""), text)
        for text in texts
    ]


def _dependencies_unchanged(dependencies: tuple) -> bool:
    if not dependencies:
        return True
    found = cache.get_many([_dependency_key(name) for name, _value in dependencies])
    return all(
        found.get(_dependency_key(name)) == value and value is not None
        for name, value in dependencies
    )


def _on_write(sender, instance=None, **kwargs) -> None:
    fine = _fine.get(sender._meta.label)
    if fine is not None and instance is not None:
        bump_dependencies_on_commit(*fine(instance))
        return
    domain = DOMAINS.get(sender._meta.app_label)
    if domain is not None:
        bump_on_commit(domain)


def connect_signals() -> None:
    """Watch every model of the domain apps (called once, from ``KexieConfig.ready``).

    Connected per model rather than for every sender, so that models outside
    the domains (sessions, the outbox, log-in attempts) keep their fast deletes.
    Historical copies (django-simple-history) are skipped: they are written
    together with the model they copy.
    """
    installed = {config.label for config in apps.get_app_configs()}
    for label in DOMAINS.keys() & installed:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            if model._meta.label in BUMPED_BY_WRITER:
                continue
            uid = f"pagecache:{model._meta.label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_write, sender=model, dispatch_uid=uid)
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_write,
                    sender=field.remote_field.through,
                    dispatch_uid=f"pagecache:m2m:{model._meta.label}.{field.name}",
                )


def _view_domains(path: str) -> tuple[tuple[str, ...], dict] | None:
    """The domains and query parameters the view at ``path`` declared with
    ``public_page`` (None for any other view), remembered per path: resolving
    costs more than a hit."""
    found = _resolved.get(path)
    if found is None:
        try:
            match = resolve(path)
        except Resolver404:
            found = ()
        else:
            domains = getattr(match.func, "page_cache_domains", ())
            found = (domains, getattr(match.func, "page_cache_params", {})) if domains else ()
        _resolved.set(path, found)
    return found or None


def _cacheable_request(request) -> bool:
    """A first-time anonymous visitor: no session (so nobody signed in and no
    message waiting in the session) and no message waiting in a cookie."""
    if request.method != "GET" or _seconds() <= 0:
        return False
    if len(request.META.get("QUERY_STRING", "")) > _MAX_QUERY:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not connection.in_atomic_block


def _cacheable_response(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        # The CSRF cookie is the visitor's own and is set again on every hit.
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and not (user is not None and user.is_authenticated)
        and get_max_age(response) is None
        and "private" not in response.get("Cache-Control", "")
        and "no-cache" not in response.get("Cache-Control", "")
    )


def page_key(request, domains: Iterable[str]) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    bucket = int(time.time()) // max(_seconds(), 1)
    domains = tuple(domains)
    values = generations(domains)
    read = _request_read.get()
    if read is not None:
        read.update(zip(domains, values, strict=True))
    parts = (
        request.path,
        query,
        language_of(request),
        str(bucket),
        ".".join(str(value) for value in values),
    )
    # Hashed: a long or non-ASCII query string must not make an invalid key.
    return "pagecache:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


#: Shapes of query values the pages read (a value must match one whole).
#: Empty is allowed: a GET form sends its empty fields too.
PAGE = r"[0-9]{0,5}"
ID = r"[0-9]{0,12}"
DATE = r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2})?"
CHOICE = r"[a-z_]{0,30}"
TEXT = r"[^\x00-\x1f]{0,100}"


def public_page(*domains: str, params: dict[str, str] | None = None):
    """Mark a view whose anonymous GETs ``PageCacheMiddleware`` may serve from
    the cache. ``domains`` names every domain whose data the page shows; a
    write to any of them renders the page afresh on its next request. The page
    must show nothing of the visitor but a CSRF token.

    ``params`` is every query parameter the page reads, each with the shape
    of a value it accepts (a regular expression, ``PAGE``, ``ID``, ``DATE``,
    ``CHOICE``, ``TEXT``). A request with any other parameter, a repeated one
    or a value of another shape is rendered but neither read from nor stored
    in the cache: junk in the query string cannot fill the cache with one
    entry per request, nor put itself into a page served to others."""
    unknown = set(domains) - set(DOMAINS.values())
    if unknown:
        raise ValueError(f"unknown page cache domains: {sorted(unknown)}")
    shapes = {name: re.compile(shape) for name, shape in (params or {}).items()}

    def decorator(view):
        # functools.wraps copies it onto any decorator applied above.
        view.page_cache_domains = tuple(dict.fromkeys((*domains, *EVERY_PAGE)))
        view.page_cache_params = shapes
        return view

    return decorator


def declared_query(request, shapes: dict) -> bool:
    """Only declared parameters, once each, with a value of the declared shape."""
    for name, values in request.GET.lists():
        shape = shapes.get(name)
        if shape is None or len(values) != 1 or not shape.fullmatch(values[0]):
            return False
    return True


class PageCacheMiddleware:
    """Serve the pages of ``public_page`` views to anonymous visitors from the
    cache, before the session, authentication and the view run.

    Placed right after the security and static-file middleware. A hit costs
    the generations' round trip to the cache and a dictionary lookup; a miss
    renders through the rest of the stack and stores the final response (its
    headers, the body with the CSRF token taken out) under the key computed
    *before* rendering, so a write committed meanwhile is never hidden.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Its request and response hooks give a hit the visitor's CSRF cookie
        # exactly as a rendered page gets it.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        read = _request_read.set({})
        try:
            return self._respond(request)
        finally:
            _request_read.reset(read)

    def _respond(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        declared = _view_domains(request.path_info)
        if declared is None:
            return self.get_response(request)
        domains, shapes = declared
        if not declared_query(request, shapes):
            return self.get_response(request)
        try:
            key = page_key(request, domains)
            stored = local_pages.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    local_pages.set(key, stored)
            # An entry of an older release (no dependencies) is rendered afresh.
            if stored is not None and (len(stored) != 3 or not _dependencies_unchanged(stored[2])):
                stored = None
        except Exception:
            log.warning("pagecache: cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            try:
                body = _fill_fragments(request, stored[1])
            except Exception:
                log.warning("pagecache: fragments unavailable", exc_info=True)
                return self._render(request, key, store=False)
            return self._serve(request, stored[0], body)
        return self._render(request, key, store=True)

    def _render(self, request, key: str, *, store: bool):
        """Render through the rest of the stack, store the page (with its
        fragments as placeholders) and answer it with the fragments in."""
        reading = _reading.set({})
        try:
            response = self.get_response(request)
            found = _reading.get()
        finally:
            _reading.reset(reading)
        fragments = found.pop(_FRAGMENTS, {})
        if (
            store
            and _cacheable_response(request, response)
            and _UNREADABLE not in found
            and not response.streaming
        ):
            self._store(key, request, response, tuple(sorted(found.items())))
            response["X-Page-Cache"] = "miss"
        if fragments and not response.streaming:
            response.content = _FRAGMENT.sub(
                lambda m: fragments.get(m.group(0), b""), response.content
            )
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def _serve(self, request, headers: dict, body: bytes):
        response = HttpResponse(headers=headers)
        if _PLACEHOLDER in body:
            self.csrf.process_request(request)
            body = body.replace(_PLACEHOLDER, get_token(request).encode())
            self.csrf.process_response(request, response)
        response.content = body
        response["Content-Length"] = str(len(body))
        response["X-Page-Cache"] = "hit"
        return response

    def _store(self, key: str, request, response, dependencies: tuple) -> None:
        headers = {
            name: value
            for name, value in response.items()
            if name.lower() not in ("content-length", "x-page-cache")
        }
        body = _TOKEN_INPUT.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
        entry = (headers, body, dependencies)
        local_pages.set(key, entry)
        try:
            cache.set(key, entry, _seconds())
        except Exception:
            log.warning("pagecache: could not store %s", request.path, exc_info=True)
