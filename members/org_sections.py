"""Sections other apps add to the society and branch pages.

Outreach registers, in its ``AppConfig.ready``, a section that lists an
organisation's upcoming events; the pages render every registered section in
their ``org_sections`` block without importing the other apps.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OrgSection:
    order: int
    template: str
    context: Callable[[object, object], dict]


_sections: dict[str, OrgSection] = {}


def register(
    name: str, *, order: int, template: str, context: Callable[[object, object], dict]
) -> None:
    """``context(request, organisation)`` returns the template's context; the
    organisation is a Society or a Branch."""
    _sections[name] = OrgSection(order=order, template=template, context=context)


def collect(request, organisation) -> list[dict]:
    return [
        {"template": section.template, **section.context(request, organisation)}
        for section in sorted(_sections.values(), key=lambda section: section.order)
    ]
