"""The blocks of the staff workbench (工作台), contributed by features.

A block is a template and a function that returns its context for a request,
or None when there is nothing to show. Each names who sees it (association
staff only by default; ``for_managers=True`` adds organisation managers, whose
blocks show only their own organisations' records). Register in your
``AppConfig.ready``::

    from kexie.portal.workbench import registry

    registry.register(
        "articles_to_review",
        order=15,
        template="content/_workbench_block.html",
        context=lambda request: {"count": ..., "items": [...], "more_url": ...},
    )

The context function must cost a fixed number of queries (the workbench has a
query budget) and say where each item is done: every row a link.

A block that counts over many rows may keep its rendered HTML per user for a
short time: ``cache_seconds`` and the page-cache ``domains`` its data belongs
to. It is rendered afresh at once after a write that bumps one of those domains
(an edit, a need's change of status) and at the latest after ``cache_seconds``
for what changes without bumping them (a sign-up, which only bumps its event,
or the clock). A request inside a transaction neither reads nor fills it, as
the page cache. Each block is rendered to HTML with ``block`` (its context) and
``user`` in its template's context.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from kexie.platform.lib import pagecache
from kexie.platform.middleware import language_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkbenchBlock:
    name: str
    order: int
    template: str
    context: Callable[[object], dict | None]
    for_managers: bool = False
    #: Seconds its HTML is kept per user (0: rendered on every request).
    cache_seconds: int = 0
    #: Page-cache domains whose writes render it afresh at once.
    domains: tuple[str, ...] = ()


_blocks: dict[str, WorkbenchBlock] = {}


def register(
    name: str,
    *,
    order: int,
    template: str,
    context: Callable[[object], dict | None],
    for_managers: bool = False,
    cache_seconds: int = 0,
    domains: tuple[str, ...] = (),
) -> None:
    _blocks[name] = WorkbenchBlock(
        name=name,
        order=order,
        template=template,
        context=context,
        for_managers=for_managers,
        cache_seconds=cache_seconds,
        domains=tuple(domains),
    )


def unregister(name: str) -> None:
    _blocks.pop(name, None)


def scope_for(request):
    """The organisations the request's user covers (``members.access.OrgScope``),
    read once per request whichever blocks ask for it."""
    from members.access import org_scope_for_user

    if not hasattr(request, "_workbench_scope"):
        request._workbench_scope = org_scope_for_user(request.user)
    return request._workbench_scope


def may_use(user) -> bool:
    """The workbench is for association staff and organisation managers."""
    return user.is_authenticated and (user.is_association_staff or user.is_org_manager)


def visible(block: WorkbenchBlock, user) -> bool:
    return user.is_association_staff or (block.for_managers and user.is_org_manager)


def _cache_keys(request, blocks: list[WorkbenchBlock]) -> dict[str, str]:
    """Block name → its cache key for this user, language and the current
    generations of its domains (one round trip for them all)."""
    cached = [block for block in blocks if block.cache_seconds > 0]
    if not cached or connection.in_atomic_block:
        return {}
    domains = sorted({domain for block in cached for domain in block.domains})
    try:
        generation = dict(zip(domains, pagecache.generations(domains), strict=True))
    except Exception:
        log.warning("workbench: cache unavailable", exc_info=True)
        return {}
    language = language_of(request)
    return {
        block.name: ":".join(
            [
                "workbench:block",
                block.name,
                str(request.user.pk),
                language,
                *(f"{domain}.{generation[domain]}" for domain in sorted(block.domains)),
            ]
        )
        for block in cached
    }


def collect(request) -> list[dict]:
    """Each block the user sees and that has something to say: its name, its
    ``html`` and, when it was rendered for this request, its context."""
    blocks = [
        block
        for block in sorted(_blocks.values(), key=lambda b: (b.order, b.name))
        if visible(block, request.user)
    ]
    keys = _cache_keys(request, blocks)
    try:
        stored = cache.get_many(list(keys.values())) if keys else {}
    except Exception:
        log.warning("workbench: cache unavailable", exc_info=True)
        keys, stored = {}, {}
    found, fresh = [], {}
    for block in blocks:
        key = keys.get(block.name)
        if key in stored:
            # A block with nothing to say is kept as "".
            if stored[key]:
                found.append({"name": block.name, "html": mark_safe(stored[key])})  # noqa: S308
            continue
        context = block.context(request)
        html = ""
        if context is not None:
            html = get_template(block.template).render({"block": context, "user": request.user})
            found.append({"name": block.name, "template": block.template, **context, "html": html})
        if key is not None:
            fresh.setdefault(block.cache_seconds, {})[key] = html
    for seconds, entries in fresh.items():
        try:
            cache.set_many(entries, seconds)
        except Exception:
            log.warning("workbench: could not store blocks", exc_info=True)
    return found
