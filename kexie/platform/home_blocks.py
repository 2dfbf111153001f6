"""Blocks of the home page, contributed by the apps.

Each app registers, in its ``AppConfig.ready``, a template and a function that
returns the template's context, so the home page grows with the apps without
the project package importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeBlock:
    order: int
    template: str
    context: Callable[[object], dict]


_blocks: dict[str, HomeBlock] = {}


def register(name: str, *, order: int, template: str, context: Callable[[object], dict]) -> None:
    _blocks[name] = HomeBlock(order=order, template=template, context=context)


def collect(request) -> list[dict]:
    return [
        {"template": block.template, **block.context(request)}
        for block in sorted(_blocks.values(), key=lambda block: block.order)
    ]
