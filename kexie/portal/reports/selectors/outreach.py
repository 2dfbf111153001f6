"""Outreach figures: events and reach, youth, venues, sign-ups."""

from datetime import date, timedelta

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kexie.portal.reports.selectors.base import (
    ReportContext,
    Table,
    event_q,
    held_events,
    percent,
)
from outreach.models import Audience, Event, Registration, Venue

#: Days without an event after which a venue counts as idle.
IDLE_DAYS = 183


def _events(ctx: ReportContext) -> QuerySet:
    return Event.objects.filter(held_events(ctx))


def _event_totals(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(events=Count("pk"), reach=Coalesce(Sum("reach_total"), 0))


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
        # A date format, so that English names the month ("Mar"), not its number.
        month_format = pgettext("a month in a report, as a date format", "n月")
        label = lambda year, month: formats.date_format(date(year, month, 1), month_format)  # noqa: E731
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
        named={"events": total_events, "reach": total_reach},
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
        named={
            "events": figures["events"],
            "sessions": session_count,
            "students": figures["reach"],
        },
    )


def _venues(ctx: ReportContext) -> QuerySet:
    """All venues for staff; for a manager those that hosted their events."""
    venues = Venue.objects.all()
    if not ctx.scope.everything:
        venues = venues.filter(pk__in=Event.objects.filter(event_q(ctx)).values("venue_id"))
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
        named={"bases": by_kind[Venue.Kind.BASE], "total": sum(by_kind.values())},
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


def registrations(ctx: ReportContext) -> Table:
    """Sign-ups to events of the period that were published or held."""
    status = Registration.Status
    events = event_q(ctx, "event__") & Q(
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
