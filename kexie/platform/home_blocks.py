"""Blocks of the home page, contributed by the apps.

Each app registers, in its ``AppConfig.ready``, a template and a function that
returns the template's context, so the home page grows with the apps without
the project package importing them.

A block that names the page-cache ``domains`` it shows (and shows nothing
that changes with the clock alone, unless its domain has a page-cache clock)
is rendered once and kept apart from the page (``kexie.platform.lib.parts``)
until a write to one of them: a signed-in visitor, or the first visitor after
a write to another domain, gets it without its queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import get_template

from kexie.platform.lib import parts


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
    ``template`` and context to include."""
    blocks = sorted(_blocks.values(), key=lambda block: block.order)
    kept = parts.cached_parts(
        "home_block",
        [block.name for block in blocks if block.domains],
        stamp=lambda name: [parts.generation(domain) for domain in _blocks[name].domains],
        render=lambda names: {name: _render(_blocks[name], request) for name in names},
    )
    return [
        {"html": kept[block.name]}
        if block.name in kept
        else {"template": block.template, **block.context(request)}
        for block in blocks
    ]


def _render(block: HomeBlock, request) -> str:
    context = {"template": block.template, **block.context(request)}
    # Without the request: a kept block is the same for every visitor.
    return get_template(block.template).render({"block": context})
