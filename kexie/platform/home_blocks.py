"""Blocks of the home page, contributed by the apps.

Each app registers, in its ``AppConfig.ready``, a template and a function that
returns the template's context, so the home page grows with the apps without
the project package importing them.

A block that names the page-cache ``domains`` it shows (and shows nothing
that changes with the clock alone, unless its domain has a page-cache clock)
is rendered once per process and kept apart from the page until a write to
one of them (``collect``): a signed-in visitor, or the first visitor after a
write to another domain, gets it without its queries.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from kexie.platform.lib import pagecache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HomeBlock:
    name: str
    order: int
    template: str
    context: Callable[[object], dict]
    domains: tuple[str, ...] = ()


_blocks: dict[str, HomeBlock] = {}


def register(
    name: str,
    *,
    order: int,
    template: str,
    context: Callable[[object], dict],
    domains: tuple[str, ...] = (),
) -> None:
    _blocks[name] = HomeBlock(
        name=name, order=order, template=template, context=context, domains=tuple(domains)
    )


def collect(request) -> list[dict]:
    """Each block in order: ``html`` for a block kept apart, else its
    ``template`` and context to include.

    The generations of every domain the page shows are read once, first
    (``request.page_generations``, None inside a transaction or with the cache
    down), and the kept blocks are kept in the process under those they name:
    a block changes only with its domains (or their clocks), so the copy in
    each process needs no other round trip."""
    blocks = sorted(_blocks.values(), key=lambda block: block.order)
    request.page_generations = generations = _generations(
        {domain for block in blocks for domain in block.domains} | set(_also_read)
    )
    language = translation.get_language() or ""
    found = []
    for block in blocks:
        if not block.domains:
            found.append({"template": block.template, **block.context(request)})
            continue
        stamp = tuple(generations[domain] for domain in block.domains) if generations else None
        key = (block.name, language)
        kept = _kept.get(key)
        if kept is None or stamp is None or kept[0] != stamp:
            kept = (stamp, mark_safe(_render(block, request)))  # noqa: S308 (a template's)
            if stamp is not None:
                _kept[key] = kept
        found.append({"html": kept[1]})
    return found


#: Domains read with the blocks' for what the page shows apart from them
#: (the coming events' ids, ``outreach.upcoming``).
_also_read: set[str] = set()

# (block, language) → (the generations of its domains, its HTML)
_kept: dict[tuple[str, str], tuple[tuple, str]] = {}


def read_also(*domains: str) -> None:
    """Read these domains' generations with the blocks' (``page_generations``)."""
    _also_read.update(domains)


def _generations(domains: set[str]) -> dict[str, object] | None:
    if connection.in_atomic_block:
        return None  # rows not yet committed may be read: nothing kept
    ordered = sorted(domains)
    try:
        return dict(zip(ordered, pagecache.generations(ordered), strict=True))
    except Exception:
        log.warning("home blocks: cache unavailable", exc_info=True)
        return None


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    """A test changed a setting (the site's name, the languages)."""
    _kept.clear()


def _render(block: HomeBlock, request) -> str:
    context = {"template": block.template, **block.context(request)}
    # Without the request: a kept block is the same for every visitor.
    return get_template(block.template).render({"block": context})
