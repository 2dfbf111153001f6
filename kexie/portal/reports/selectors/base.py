"""What every report table shares: the table, the context it is computed in,
and which records an organisation manager's scope covers."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from kexie.portal.reports.params import Period
from members.access import OrgScope
from members.models import Branch
from outreach.models import Event


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list]
    #: Index of the column drawn as bars (labels are column 0); None for no chart.
    chart_column: int | None = None
    note: str = ""
    #: The last row is a total: left out of the chart.
    has_total: bool = False
    #: Further figures shown beside the table (label, value).
    figures: list[tuple[str, object]] = field(default_factory=list)
    #: The table's figures by name, for those who quote one (the headline):
    #: reordering or relabelling rows never changes what a name reads.
    named: dict[str, object] = field(default_factory=dict)

    def chart(self) -> list[tuple[str, float]]:
        if self.chart_column is None:
            return []
        rows = self.rows[:-1] if self.has_total else self.rows
        return [(str(row[0]), row[self.chart_column] or 0) for row in rows]


@dataclass(frozen=True)
class ReportContext:
    period: Period
    scope: OrgScope
    now: datetime

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# Scoping: which records of each kind an organisation manager's scope covers.


def event_q(ctx: ReportContext, prefix: str = "") -> Q:
    return ctx.scope.q(society_field=f"{prefix}society", branch_field=f"{prefix}branch")


def need_q(ctx: ReportContext, prefix: str = "") -> Q:
    """Needs have no organiser: a manager sees those of enterprises in the towns
    of their branches; a society's manager sees none."""
    if ctx.scope.everything:
        return Q()
    towns = Branch.objects.filter(pk__in=ctx.scope.branch_ids).values("town_id")
    return Q(**{f"{prefix}enterprise__town__in": towns})


def held_events(ctx: ReportContext, prefix: str = "") -> Q:
    """Events held in the period: finished (their reach is then recorded)."""
    return event_q(ctx, prefix) & Q(
        **{
            f"{prefix}status": Event.Status.FINISHED,
            f"{prefix}starts_at__gte": ctx.period.start,
            f"{prefix}starts_at__lt": ctx.period.end,
        }
    )


def in_period(ctx: ReportContext, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": ctx.period.start, f"{field_name}__lt": ctx.period.end})
