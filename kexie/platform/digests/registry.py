"""What is overdue, contributed by the apps for the staff's daily digest.

Each app registers, in its ``AppConfig.ready``, a function returning a
``DigestSection`` (or ``None`` when nothing of its kind is overdue), so the
digest grows with the apps without the platform importing them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str
    #: Why it is listed, e.g. "已等待3个工作日".
    detail: str = ""


@dataclass(frozen=True)
class DigestSection:
    title: str
    items: list[DigestItem] = field(default_factory=list)


_sections: dict[str, tuple[int, Callable[[datetime], DigestSection | None]]] = {}


def register_staff_section(
    name: str, *, order: int, collect: Callable[[datetime], DigestSection | None]
) -> None:
    _sections[name] = (order, collect)


def staff_sections(now: datetime) -> list[DigestSection]:
    sections = []
    for _order, collect in sorted(_sections.values(), key=lambda entry: entry[0]):
        section = collect(now)
        if section is not None and section.items:
            sections.append(section)
    return sections
