"""The figures of the staff reports, each computed by aggregate queries.

Every table is a function ``(ctx) -> Table`` in ``TABLES``; the dashboard, the
annual report and the Excel export all read them, so a figure is defined once.
No function loops over records: the database groups and counts, and Python
only arranges the handful of grouped rows (12 months, 6 audiences …).
The number of queries of the dashboard is fixed whatever the data.
"""

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import NeedTransition, Rating, Response, TechNeed
from kexie.portal.reports.params import Period
from members.access import OrgScope
from members.models import Branch, ContestProject, Honor, Position, Society
from members.selectors import three_heads_coverage
from outreach.models import Audience, Event, Registration, Venue

#: Days without an event after which a venue counts as idle.
IDLE_DAYS = 183


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


def _event_q(ctx: ReportContext, prefix: str = "") -> Q:
    return ctx.scope.q(society_field=f"{prefix}society", branch_field=f"{prefix}branch")


def _need_q(ctx: ReportContext, prefix: str = "") -> Q:
    """Needs have no organiser: a manager sees those of enterprises in the towns
    of their branches; a society's manager sees none."""
    if ctx.scope.everything:
        return Q()
    towns = Branch.objects.filter(pk__in=ctx.scope.branch_ids).values("town_id")
    return Q(**{f"{prefix}enterprise__town__in": towns})


def held_events(ctx: ReportContext, prefix: str = "") -> Q:
    """Events held in the period: finished (their reach is then recorded)."""
    return _event_q(ctx, prefix) & Q(
        **{
            f"{prefix}status": Event.Status.FINISHED,
            f"{prefix}starts_at__gte": ctx.period.start,
            f"{prefix}starts_at__lt": ctx.period.end,
        }
    )


def _events(ctx: ReportContext) -> QuerySet:
    return Event.objects.filter(held_events(ctx))


def _event_totals(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(events=Count("pk"), reach=Coalesce(Sum("reach_total"), 0))


# Events and reach


def events_trend(ctx: ReportContext) -> Table:
    """By month for a year; by year for a range."""
    period = ctx.period
    trunc = TruncYear if period.is_range else TruncMonth
    rows = _event_totals(
        _events(ctx).annotate(bucket=trunc("starts_at")).values("bucket")
    ).order_by("bucket")
    found = {(row["bucket"].year, row["bucket"].month): row for row in rows}
    if period.is_range:
        keys = [(year, 1) for year in period.years]
        label = lambda year, _month: _("%(year)s年") % {"year": year}  # noqa: E731
    else:
        keys = [(period.first_year, month) for month in range(1, 13)]
        label = lambda _year, month: _("%(month)s月") % {"month": month}  # noqa: E731
    table_rows = [
        [
            label(*key),
            found.get(key, {}).get("events", 0),
            found.get(key, {}).get("reach", 0),
        ]
        for key in keys
    ]
    total_events = sum(row[1] for row in table_rows)
    total_reach = sum(row[2] for row in table_rows)
    table_rows.append([_("合计"), total_events, total_reach])
    return Table(
        name="trend",
        has_total=True,
        title=_("各年活动场次与受众人次") if period.is_range else _("各月活动场次与受众人次"),
        columns=[_("年度") if period.is_range else _("月份"), _("活动场次"), _("受众人次")],
        rows=table_rows,
        chart_column=2,
        note=_("受众人次 = 签到人数 + 现场未报名人数 + 线上观看人数，只计已结束的活动。"),
    )


def events_by_campaign(ctx: ReportContext) -> Table:
    rows = _event_totals(_events(ctx).values("campaign__name")).order_by("-reach", "-events")
    return Table(
        name="campaigns",
        title=_("按品牌活动"),
        columns=[_("品牌活动"), _("活动场次"), _("受众人次")],
        rows=[
            [row["campaign__name"] or _("未归入品牌"), row["events"], row["reach"]] for row in rows
        ],
        chart_column=2,
    )


def events_by_audience(ctx: ReportContext) -> Table:
    held = held_events(ctx, prefix="events__")
    rows = (
        Audience.objects.annotate(
            held_events=Count("events", filter=held),
            reach=Coalesce(Sum("events__reach_total", filter=held), 0),
        )
        .order_by("order", "pk")
        .values("code", "name", "held_events", "reach")
    )
    return Table(
        name="audiences",
        title=_("按重点人群"),
        columns=[_("重点人群"), _("活动场次"), _("受众人次")],
        rows=[[row["name"], row["held_events"], row["reach"]] for row in rows],
        chart_column=2,
        note=_("面向多个人群的活动在每个人群中各计一次，各行之和可能大于合计。"),
    )


def events_by_town(ctx: ReportContext) -> Table:
    rows = _event_totals(
        _events(ctx)
        .annotate(
            town_name=Coalesce("venue__town__name", "branch__town__name"),
            town_order=Coalesce("venue__town__order", "branch__town__order"),
        )
        .values("town_name", "town_order")
    ).order_by(F("town_order").asc(nulls_last=True), "town_name")
    return Table(
        name="towns",
        title=_("按镇街道"),
        columns=[_("镇街道"), _("活动场次"), _("受众人次")],
        rows=[
            [row["town_name"] or _("线上或地点未定"), row["events"], row["reach"]] for row in rows
        ],
        chart_column=2,
        note=_("按活动地点所在镇街道统计，无地点的按主办基层组织所在镇街道。"),
    )


def events_by_organiser(ctx: ReportContext) -> Table:
    rows = _event_totals(_events(ctx).values("society__name", "branch__name")).order_by(
        "-reach", "-events", "society__name", "branch__name"
    )
    return Table(
        name="organisers",
        title=_("按主办单位"),
        columns=[_("主办单位"), _("活动场次"), _("受众人次")],
        rows=[
            [
                row["society__name"] or row["branch__name"] or _("市科协直接主办"),
                row["events"],
                row["reach"],
            ]
            for row in rows
        ],
        chart_column=2,
    )


def youth(ctx: ReportContext) -> Table:
    """青少年: sessions (a course counts each meeting) and students served."""
    held = held_events(ctx) & Q(audiences__code=Audience.Code.YOUTH)
    figures = Event.objects.filter(held).aggregate(
        events=Count("pk", distinct=True),
        reach=Coalesce(Sum("reach_total"), 0),
    )
    sessions = Event.objects.filter(held).aggregate(
        meetings=Count("sessions", distinct=True),
        single=Count("pk", distinct=True, filter=Q(sessions__isnull=True)),
    )
    session_count = sessions["meetings"] + sessions["single"]
    return Table(
        name="youth",
        title=_("青少年科普"),
        columns=[_("指标"), _("数值")],
        rows=[
            [_("面向青少年的活动"), figures["events"]],
            [_("青少年活动场次（课程按课时计）"), session_count],
            [_("服务学生人次"), figures["reach"]],
        ],
    )


# Venues


def _venues(ctx: ReportContext) -> QuerySet:
    """All venues for staff; for a manager those that hosted their events."""
    venues = Venue.objects.all()
    if not ctx.scope.everything:
        venues = venues.filter(pk__in=Event.objects.filter(_event_q(ctx)).values("venue_id"))
    return venues


def venues_by_kind(ctx: ReportContext) -> Table:
    rows = list(
        _venues(ctx)
        .exclude(status=Venue.Status.CLOSED)
        .values("kind", "level")
        .annotate(count=Count("pk"))
        .order_by("kind", "level")
    )
    kinds = dict(Venue.Kind.choices)
    levels = dict(Venue.Level.choices)
    by_kind = {kind: 0 for kind in Venue.Kind.values}
    by_level = {level: 0 for level in Venue.Level.values}
    for row in rows:  # at most kinds × levels grouped rows
        by_kind[row["kind"]] += row["count"]
        if row["level"]:
            by_level[row["level"]] += row["count"]
    table_rows = [[kinds[kind], count] for kind, count in by_kind.items()]
    table_rows += [
        [_("其中科普教育基地（%(level)s）") % {"level": levels[level]}, count]
        for level, count in by_level.items()
    ]
    table_rows.append([_("合计"), sum(by_kind.values())])
    at_or_above_prefecture = sum(
        by_level[level]
        for level in (Venue.Level.NATIONAL, Venue.Level.PROVINCIAL, Venue.Level.PREFECTURE)
    )
    return Table(
        name="venues",
        has_total=True,
        title=_("科普阵地（按类型和级别）"),
        columns=[_("类型"), _("数量")],
        rows=table_rows,
        figures=[
            (_("科普教育基地"), by_kind[Venue.Kind.BASE]),
            (_("其中地市级及以上"), at_or_above_prefecture),
        ],
        note=_("不含暂停开放的阵地。"),
    )


def idle_venues(ctx: ReportContext) -> Table:
    cutoff = ctx.now - timedelta(days=IDLE_DAYS)
    held = Q(
        events__starts_at__lte=ctx.now,
        events__status__in=[Event.Status.PUBLISHED, Event.Status.FINISHED],
    )
    rows = (
        _venues(ctx)
        .filter(status=Venue.Status.OPEN)
        .annotate(last_event=Max("events__starts_at", filter=held))
        .filter(Q(last_event__isnull=True) | Q(last_event__lt=cutoff))
        .order_by(F("last_event").asc(nulls_first=True), "name")
        .values("name", "kind", "town__name", "last_event")
    )
    kinds = dict(Venue.Kind.choices)
    return Table(
        name="idle_venues",
        title=_("近6个月没有活动的阵地"),
        columns=[_("阵地"), _("类型"), _("镇街道"), _("最近一次活动")],
        rows=[
            [
                row["name"],
                kinds.get(row["kind"], row["kind"]),
                row["town__name"],
                timezone.localtime(row["last_event"]).date().isoformat()
                if row["last_event"]
                else _("从未举办"),
            ]
            for row in rows
        ],
        note=_("开放中的阵地，截至今天的前6个月内没有已发布或已结束的活动。"),
    )


# Registrations


def registrations(ctx: ReportContext) -> Table:
    """Sign-ups to events of the period that were published or held."""
    status = Registration.Status
    events = _event_q(ctx, "event__") & Q(
        event__starts_at__gte=ctx.period.start,
        event__starts_at__lt=ctx.period.end,
        event__status__in=[Event.Status.PUBLISHED, Event.Status.FINISHED],
    )
    figures = Registration.objects.filter(events).aggregate(
        total=Count("pk"),
        people=Coalesce(Sum("party_size"), 0),
        attended=Count("pk", filter=Q(status=status.ATTENDED)),
        no_show=Count("pk", filter=Q(status=status.NO_SHOW)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
        checked_in=Coalesce(Sum("attended_count"), 0),
    )
    known = figures["attended"] + figures["no_show"]
    check_in_rate = percent(figures["attended"], known)
    no_show_rate = percent(figures["no_show"], known)
    return Table(
        name="registrations",
        title=_("报名与签到"),
        columns=[_("指标"), _("数值")],
        rows=[
            [_("报名数"), figures["total"]],
            [_("报名人数（含同行）"), figures["people"]],
            [_("已签到的报名"), figures["attended"]],
            [_("未到场的报名"), figures["no_show"]],
            [_("已取消的报名"), figures["cancelled"]],
            [_("候补中的报名"), figures["waitlisted"]],
            [_("签到人数"), figures["checked_in"]],
            [_("签到率（%）"), check_in_rate if check_in_rate is not None else "—"],
            [_("未到场率（%）"), no_show_rate if no_show_rate is not None else "—"],
        ],
        note=_("签到率、未到场率 = 已签到或未到场的报名 ÷ 两者之和（已知结果的报名）。"),
    )


# Organisations


def branches(ctx: ReportContext) -> Table:
    rows = (
        Branch.objects.filter(ctx.scope.q(society_field=None, branch_field="pk"))
        .values("kind")
        .annotate(count=Count("pk"))
    )
    counts = {row["kind"]: row["count"] for row in rows}
    table_rows = [[label, counts.get(kind, 0)] for kind, label in Branch.Kind.choices]
    table_rows.append([_("合计"), sum(counts.values())])
    return Table(
        name="branches",
        has_total=True,
        title=_("基层组织（按类型）"),
        columns=[_("类型"), _("数量")],
        rows=table_rows,
        chart_column=1,
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
    rows = (
        Honor.objects.filter(
            ctx.scope.q(society_field="society", branch_field=("branch", "person__branch")),
            year__gte=ctx.period.first_year,
            year__lte=ctx.period.last_year,
        )
        .values("level")
        .annotate(count=Count("pk", distinct=True))
    )
    counts = {row["level"]: row["count"] for row in rows}
    table_rows = [[Honor.Level(level).label, counts.get(level, 0)] for level in Honor.LEVEL_ORDER]
    table_rows.append([_("合计"), sum(counts.values())])
    return Table(
        name="honors",
        has_total=True,
        title=_("获得荣誉（按级别）"),
        columns=[_("级别"), _("荣誉数")],
        rows=table_rows,
        chart_column=1,
    )


def contest(ctx: ReportContext) -> Table:
    rows = (
        ContestProject.objects.filter(
            ctx.scope.q(society_field="society", branch_field="branches"),
            year__gte=ctx.period.first_year,
            year__lte=ctx.period.last_year,
        )
        .values("domain")
        .annotate(count=Count("pk", distinct=True))
    )
    counts = {row["domain"]: row["count"] for row in rows}
    table_rows = [[label, counts.get(domain, 0)] for domain, label in ContestProject.Domain.choices]
    table_rows.append([_("合计"), sum(counts.values())])
    return Table(
        name="contest",
        has_total=True,
        title=_("比拼赛项目（按领域）"),
        columns=[_("领域"), _("项目数")],
        rows=table_rows,
        chart_column=1,
    )


# 科协帮: needs and experts


def _in_period(ctx: ReportContext, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": ctx.period.start, f"{field_name}__lt": ctx.period.end})


def first_response_days(ctx: ReportContext) -> list[float]:
    """Days from publication to the first expert response, one value per need
    published in the period that was answered (one query)."""
    waits = (
        TechNeed.objects.filter(_need_q(ctx), _in_period(ctx, "published_at"))
        .annotate(first_response=Min("responses__created_at"))
        .filter(first_response__isnull=False)
        .annotate(wait=ExpressionWrapper(F("first_response") - F("published_at"), DurationField()))
        .values_list("wait", flat=True)
    )
    return [wait.total_seconds() / 86400 for wait in waits]


def needs(ctx: ReportContext) -> Table:
    status = TechNeed.Status
    reached = NeedTransition.objects.filter(
        _need_q(ctx, "need__"), _in_period(ctx, "at")
    ).aggregate(
        **{
            name: Count("need", distinct=True, filter=Q(to_status=to_status))
            for name, to_status in (
                ("received", status.SUBMITTED),
                ("published", status.PUBLISHED),
                ("matched", status.MATCHED),
                ("resolved", status.RESOLVED),
            )
        }
    )
    waits = first_response_days(ctx)
    median = round(statistics.median(waits), 1) if waits else None
    rating = Rating.objects.filter(
        _need_q(ctx, "engagement__need__"), _in_period(ctx, "rated_at")
    ).aggregate(average=Avg("overall"), count=Count("pk"))
    experts = Response.objects.filter(
        _need_q(ctx, "need__"), _in_period(ctx, "created_at")
    ).aggregate(
        experts=Count("expert", distinct=True),
        responses=Count("pk"),
    )
    average = round(rating["average"], 2) if rating["average"] is not None else None
    return Table(
        name="needs",
        title=_("科协帮：技术需求与专家服务"),
        columns=[_("指标"), _("数值")],
        rows=[
            [_("收到需求"), reached["received"]],
            [_("发布需求"), reached["published"]],
            [_("匹配专家"), reached["matched"]],
            [_("已解决"), reached["resolved"]],
            [_("首次响应天数（中位数）"), median if median is not None else "—"],
            [_("专家响应次数"), experts["responses"]],
            [_("参与响应的专家"), experts["experts"]],
            [_("服务评价数"), rating["count"]],
            [_("满意度（平均总体评分，满分5分）"), average if average is not None else "—"],
        ],
        note=_(
            "收到、发布、匹配、解决：本期内进入该状态的需求数；"
            "首次响应天数：本期发布并有专家响应的需求，从发布到第一条响应。"
        ),
    )


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
    """The few figures the association quotes first, from the tables."""
    trend_total = tables["trend"].rows[-1]
    youth_rows = tables["youth"].rows
    bases = tables["venues"].figures[0][1]
    return [
        (_("活动场次"), trend_total[1]),
        (_("受众人次"), trend_total[2]),
        (_("青少年活动场次"), youth_rows[1][1]),
        (_("服务学生人次"), youth_rows[2][1]),
        (_("科普教育基地"), bases),
        (_("获得荣誉"), tables["honors"].rows[-1][1]),
        (_("比拼赛项目"), tables["contest"].rows[-1][1]),
        (_("解决技术需求"), tables["needs"].rows[3][1]),
    ]


def org_choices(scope: OrgScope) -> dict[str, list[tuple[int, str]]]:
    """The societies and branches a report may be narrowed to (two queries)."""
    societies = Society.objects.filter(scope.q(society_field="pk", branch_field=None))
    branches = Branch.objects.filter(scope.q(society_field=None, branch_field="pk"))
    return {
        "societies": list(societies.order_by("name").values_list("pk", "name")),
        "branches": list(branches.order_by("town__order", "name").values_list("pk", "name")),
    }
