"""Reads of the members app. Each selector owns its joins and prefetches, so a
page's query count does not grow with its rows."""

from dataclasses import dataclass
from datetime import date

import rjieba
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from members.models import (
    Branch,
    ContestProject,
    Honor,
    Person,
    Position,
    ProgressUpdate,
    Society,
    Town,
)

# Search


def name_search_q(query: str, field: str = "name") -> Q:
    """Match a Chinese name by the whole query or by all of its words.

    "机械学会" finds "平湖市机械工程学会": the query is cut into words
    (机械 / 学会) and a name matches when it contains every one.
    """
    query = query.strip()
    if not query:
        return Q()
    words = [word.strip() for word in rjieba.cut(query) if word.strip()]
    condition = Q(**{f"{field}__icontains": query})
    if len(words) > 1:
        all_words = Q()
        for word in words:
            all_words &= Q(**{f"{field}__icontains": word})
        condition |= all_words
    return condition


# Positions


def current_positions_q(on: date | None = None, prefix: str = "") -> Q:
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


_ROLE_ORDER = Case(
    *[When(role=role, then=Value(index)) for index, role in enumerate(Position.Role.values)],
    output_field=IntegerField(),
)


def current_positions(*, society: Society | None = None, branch: Branch | None = None):
    """Office holders today, senior offices first. Public: person's name only."""
    positions = Position.objects.filter(current_positions_q())
    positions = (
        positions.filter(society=society)
        if society is not None
        else positions.filter(branch=branch)
    )
    return (
        positions.select_related("person")
        .annotate(role_order=_ROLE_ORDER)
        .order_by("role_order", "start", "pk")
    )


# The directory of organisations


@dataclass(frozen=True)
class OrgDirectory:
    societies: QuerySet
    branches: QuerySet


def org_directory(*, query: str = "", kind: str = "", town: Town | None = None) -> OrgDirectory:
    """Societies and branches for /orgs/. ``kind`` is "society", a branch kind
    or empty for both; societies have no town, so a town filter hides them."""
    societies = Society.objects.exclude(status=Society.Status.DISSOLVED)
    branches = Branch.objects.select_related("town", "parent")
    if query:
        societies = societies.filter(name_search_q(query))
        branches = branches.filter(name_search_q(query))
    if kind and kind != "society":
        societies = societies.none()
        branches = branches.filter(kind=kind)
    elif kind == "society":
        branches = branches.none()
    if town is not None:
        societies = societies.none()
        branches = branches.filter(town=town)
    return OrgDirectory(societies=societies.order_by("name"), branches=branches)


# Society and branch pages


_LEVEL_ORDER = Case(
    *[When(level=level, then=Value(index)) for index, level in enumerate(Honor.LEVEL_ORDER)],
    default=Value(len(Honor.LEVEL_ORDER)),
    output_field=IntegerField(),
)


def _honors_of(**owner) -> QuerySet:
    return Honor.objects.filter(**owner).order_by("-year", _LEVEL_ORDER, "name", "pk")


def _contest_projects() -> QuerySet:
    return ContestProject.objects.select_related("society").prefetch_related(
        Prefetch(
            "updates",
            queryset=ProgressUpdate.objects.order_by("date", "pk"),
            to_attr="update_list",
        )
    )


def society_page(society: Society) -> dict:
    return {
        "positions": list(current_positions(society=society)),
        "honors": list(_honors_of(society=society)),
        "projects": list(_contest_projects().filter(society=society).order_by("-year", "rank")),
    }


THREE_HEAD_ROLES = list(Position.THREE_HEADS)


def three_heads_of(positions: list[Position]) -> list[dict]:
    """The three heads of a town branch from its current positions, in order,
    each with its holder or None."""
    holders = {p.role: p for p in positions if p.role in THREE_HEAD_ROLES}
    return [
        {"role": role, "label": Position.Role(role).label, "position": holders.get(role)}
        for role in THREE_HEAD_ROLES
    ]


def branch_page(branch: Branch) -> dict:
    positions = list(current_positions(branch=branch))
    return {
        "positions": positions,
        "three_heads": three_heads_of(positions) if branch.kind == Branch.Kind.TOWN else None,
        "children": list(branch.children.select_related("town").order_by("kind", "name")),
        "honors": list(_honors_of(branch=branch)),
        "projects": list(
            _contest_projects().filter(branches=branch).order_by("-year", "rank", "pk")
        ),
    }


# Honours


def honor_roll(*, year: int | None = None, level: str = "") -> QuerySet:
    honors = Honor.objects.select_related("person", "society", "branch")
    if year:
        honors = honors.filter(year=year)
    if level:
        honors = honors.filter(level=level)
    return honors.annotate(level_order=_LEVEL_ORDER).order_by("-year", "level_order", "name", "pk")


def honor_years() -> list[int]:
    return list(Honor.objects.order_by("-year").values_list("year", flat=True).distinct())


# The contest


def contest_years() -> list[int]:
    return list(ContestProject.objects.order_by("-year").values_list("year", flat=True).distinct())


def contest_year_projects(year: int) -> QuerySet:
    """Ranked projects first, then the rest by society."""
    return (
        _contest_projects()
        .prefetch_related(Prefetch("branches", queryset=Branch.objects.order_by("name")))
        .filter(year=year)
        .annotate(unranked=Case(When(rank__isnull=True, then=1), default=0))
        .order_by("unranked", "rank", "society__name", "pk")
    )


def contest_year_summary(year: int) -> list[dict]:
    """Projects per domain for the year."""
    labels = dict(ContestProject.Domain.choices)
    rows = (
        ContestProject.objects.filter(year=year)
        .values("domain")
        .annotate(count=Count("pk"))
        .order_by("-count", "domain")
    )
    return [
        {"domain": labels.get(row["domain"], row["domain"]), "count": row["count"]} for row in rows
    ]


# Figures


def three_heads_coverage(on: date | None = None) -> dict:
    """Which town and street branches have their three heads in office.

    ``rows`` holds each town branch with its three heads; ``complete`` counts
    the branches with all three, ``total`` all town branches.
    """
    positions = Position.objects.filter(
        current_positions_q(on), role__in=THREE_HEAD_ROLES
    ).select_related("person")
    branches = (
        Branch.objects.filter(kind=Branch.Kind.TOWN)
        .select_related("town")
        .prefetch_related(Prefetch("positions", queryset=positions, to_attr="current_heads"))
    )
    rows = []
    for branch in branches:
        heads = three_heads_of(branch.current_heads)
        rows.append(
            {
                "branch": branch,
                "heads": heads,
                "complete": all(head["position"] for head in heads),
            }
        )
    complete = sum(1 for row in rows if row["complete"])
    return {
        "rows": rows,
        "complete": complete,
        "total": len(rows),
        "percent": round(100 * complete / len(rows)) if rows else 0,
    }


def home_figures() -> dict:
    return {
        "societies": Society.objects.filter(status=Society.Status.ACTIVE).count(),
        "branches": Branch.objects.count(),
        "people": Person.objects.count(),
        "honors": Honor.objects.count(),
    }
