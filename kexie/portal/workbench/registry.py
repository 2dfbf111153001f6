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
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkbenchBlock:
    name: str
    order: int
    template: str
    context: Callable[[object], dict | None]
    for_managers: bool = False


_blocks: dict[str, WorkbenchBlock] = {}


def register(
    name: str,
    *,
    order: int,
    template: str,
    context: Callable[[object], dict | None],
    for_managers: bool = False,
) -> None:
    _blocks[name] = WorkbenchBlock(
        name=name, order=order, template=template, context=context, for_managers=for_managers
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


def collect(request) -> list[dict]:
    """The context of each block the user sees and that has something to say."""
    found = []
    for block in sorted(_blocks.values(), key=lambda b: (b.order, b.name)):
        if not visible(block, request.user):
            continue
        context = block.context(request)
        if context is not None:
            found.append({"name": block.name, "template": block.template, **context})
    return found
