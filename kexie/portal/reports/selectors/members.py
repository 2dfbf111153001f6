"""Organisation figures: branches, the three heads of town branches, honours, the contest."""

from datetime import date

from django.db.models import Count, F
from django.utils.translation import gettext as _

from kexie.portal.reports.selectors.base import ReportContext, Table, percent
from members.access import OrgScope
from members.models import Branch, ContestProject, Honor, Position, Society
from members.selectors import three_heads_coverage


def _counts_table(
    *, name: str, title: str, columns: list[str], grouped, choices: list[tuple[str, str]]
) -> Table:
    """One row per choice (in the choices' order) with its count, and the total.

    ``grouped`` is a query giving ``key`` and ``count`` per choice."""
    counts = {row["key"]: row["count"] for row in grouped}
    total = sum(counts.values())
    return Table(
        name=name,
        has_total=True,
        title=title,
        columns=columns,
        rows=[[label, counts.get(key, 0)] for key, label in choices] + [[_("合计"), total]],
        chart_column=1,
        named={"total": total},
    )


def branches(ctx: ReportContext) -> Table:
    return _counts_table(
        name="branches",
        title=_("基层组织（按类型）"),
        columns=[_("类型"), _("数量")],
        grouped=Branch.objects.filter(ctx.scope.q(society_field=None, branch_field="pk"))
        .values(key=F("kind"))
        .annotate(count=Count("pk")),
        choices=Branch.Kind.choices,
    )


def three_heads(ctx: ReportContext) -> Table:
    """Town branches with their three heads in office at the end of the period
    (or today, for the current year), from ``members.selectors``."""
    on = min(ctx.today, date(ctx.period.last_year, 12, 31))
    coverage = three_heads_coverage(on)
    rows = [row for row in coverage["rows"] if ctx.scope.covers_branch(row["branch"].pk)]
    complete = sum(1 for row in rows if row["complete"])
    heads = [Position.Role(role).label for role in Position.THREE_HEADS]
    return Table(
        name="three_heads",
        title=_("镇街道科协“三长”配备"),
        columns=[_("镇街道科协"), *heads, _("是否配齐")],
        rows=[
            [
                row["branch"].name,
                *[
                    head["position"].person.name if head["position"] else "—"
                    for head in row["heads"]
                ],
                _("已配齐") if row["complete"] else _("未配齐"),
            ]
            for row in rows
        ],
        figures=[
            (_("已配齐“三长”的镇街道科协"), f"{complete} / {len(rows)}"),
            (_("配齐率（%）"), percent(complete, len(rows)) if rows else "—"),
        ],
        note=_("截至 %(date)s 在任的医院院长、学校校长、农技站站长。") % {"date": on},
    )


def honors(ctx: ReportContext) -> Table:
    return _counts_table(
        name="honors",
        title=_("获得荣誉（按级别）"),
        columns=[_("级别"), _("荣誉数")],
        grouped=Honor.objects.filter(
            ctx.scope.q(society_field="society", branch_field=("branch", "person__branch")),
            year__gte=ctx.period.first_year,
            year__lte=ctx.period.last_year,
        )
        .values(key=F("level"))
        .annotate(count=Count("pk", distinct=True)),
        choices=[(level, Honor.Level(level).label) for level in Honor.LEVEL_ORDER],
    )


def contest(ctx: ReportContext) -> Table:
    return _counts_table(
        name="contest",
        title=_("比拼赛项目（按领域）"),
        columns=[_("领域"), _("项目数")],
        grouped=ContestProject.objects.filter(
            ctx.scope.q(society_field="society", branch_field="branches"),
            year__gte=ctx.period.first_year,
            year__lte=ctx.period.last_year,
        )
        .values(key=F("domain"))
        .annotate(count=Count("pk", distinct=True)),
        choices=ContestProject.Domain.choices,
    )


def org_choices(scope: OrgScope) -> dict[str, list[tuple[int, str]]]:
    """The societies and branches a report may be narrowed to (two queries)."""
    societies = Society.objects.filter(scope.q(society_field="pk", branch_field=None))
    branches = Branch.objects.filter(scope.q(society_field=None, branch_field="pk"))
    return {
        "societies": list(societies.order_by("name").values_list("pk", "name")),
        "branches": list(branches.order_by("town__order", "name").values_list("pk", "name")),
    }
