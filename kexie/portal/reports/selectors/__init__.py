"""The figures of the staff reports, split by domain, each computed by aggregate queries.

Every table is a function ``(ctx) -> Table`` in ``TABLES``; the dashboard, the
annual report and the Excel export all read them, so a figure is defined once.
No function loops over records: the database groups and counts, and Python
only arranges the handful of grouped rows (12 months, 6 audiences …).
The number of queries of the dashboard is fixed whatever the data. The
headline quotes figures by name (``Table.named``), never by row position.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from kexie.portal.reports.selectors.base import ReportContext, Table, held_events, percent
from kexie.portal.reports.selectors.experts import first_response_days, needs
from kexie.portal.reports.selectors.members import (
    branches,
    contest,
    honors,
    org_choices,
    three_heads,
)
from kexie.portal.reports.selectors.outreach import (
    IDLE_DAYS,
    events_by_audience,
    events_by_campaign,
    events_by_organiser,
    events_by_town,
    events_trend,
    idle_venues,
    registrations,
    venues_by_kind,
    youth,
)

__all__ = [
    "IDLE_DAYS",
    "TABLES",
    "ReportContext",
    "Table",
    "branches",
    "contest",
    "dashboard",
    "events_by_audience",
    "events_by_campaign",
    "events_by_organiser",
    "events_by_town",
    "events_trend",
    "first_response_days",
    "headline",
    "held_events",
    "honors",
    "idle_venues",
    "needs",
    "org_choices",
    "percent",
    "registrations",
    "report_table",
    "three_heads",
    "venues_by_kind",
    "youth",
]


TABLES: dict[str, Callable[[ReportContext], Table]] = {
    "trend": events_trend,
    "campaigns": events_by_campaign,
    "audiences": events_by_audience,
    "towns": events_by_town,
    "organisers": events_by_organiser,
    "youth": youth,
    "venues": venues_by_kind,
    "idle_venues": idle_venues,
    "registrations": registrations,
    "branches": branches,
    "three_heads": three_heads,
    "honors": honors,
    "contest": contest,
    "needs": needs,
}


def report_table(name: str, ctx: ReportContext) -> Table:
    return TABLES[name](ctx)


def dashboard(ctx: ReportContext) -> dict[str, Table]:
    """Every table of the report, in display order."""
    return {name: build(ctx) for name, build in TABLES.items()}


def headline(tables: dict[str, Table]) -> list[tuple[str, object]]:
    """The few figures the association quotes first, each read by its table and name."""
    return [
        (_("活动场次"), tables["trend"].named["events"]),
        (_("受众人次"), tables["trend"].named["reach"]),
        (_("青少年活动场次"), tables["youth"].named["sessions"]),
        (_("服务学生人次"), tables["youth"].named["students"]),
        (_("科普教育基地"), tables["venues"].named["bases"]),
        (_("获得荣誉"), tables["honors"].named["total"]),
        (_("比拼赛项目"), tables["contest"].named["total"]),
        (_("解决技术需求"), tables["needs"].named["resolved"]),
    ]
