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
the page cache (``parts.cached_parts`` keeps them, as every part of a page kept
apart). Each block is rendered to HTML with ``block`` (its context) and
``user`` in its template's context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from kexie.platform.lib import parts


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


def _render(block: WorkbenchBlock, request, contexts: dict) -> str:
    """A block's HTML ("" when it has nothing to say); its context is kept in
    ``contexts`` for this request."""
    context = block.context(request)
    if context is None:
        return ""
    contexts[block.name] = context
    return get_template(block.template).render({"block": context, "user": request.user})


def collect(request) -> list[dict]:
    """Each block the user sees and that has something to say: its name, its
    ``html`` and, when it was rendered for this request, its context."""
    blocks = [
        block
        for block in sorted(_blocks.values(), key=lambda b: (b.order, b.name))
        if visible(block, request.user)
    ]
    contexts: dict[str, dict] = {}
    html: dict[str, str] = {}
    by_seconds: dict[int, list[WorkbenchBlock]] = {}
    for block in blocks:
        if block.cache_seconds > 0:
            by_seconds.setdefault(block.cache_seconds, []).append(block)
        else:
            html[block.name] = _render(block, request, contexts)
    for seconds, kept in by_seconds.items():
        found = parts.cached_parts(
            "workbench",
            [(block.name, request.user.pk) for block in kept],
            stamp=lambda key: [parts.generation(d) for d in _blocks[key[0]].domains],
            render=lambda keys: {key: _render(_blocks[key[0]], request, contexts) for key in keys},
            seconds=seconds,
        )
        html.update({name: text for (name, _user), text in found.items()})
    found = []
    for block in blocks:
        if not html.get(block.name):
            continue  # nothing to say (kept as "")
        if block.name in contexts:
            found.append(
                {
                    "name": block.name,
                    "template": block.template,
                    **contexts[block.name],
                    "html": mark_safe(html[block.name]),  # noqa: S308 (rendered by a template)
                }
            )
        else:
            found.append({"name": block.name, "html": mark_safe(html[block.name])})  # noqa: S308
    return found
