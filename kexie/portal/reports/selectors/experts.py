"""科协帮 figures: needs received, published, matched and resolved; responses; ratings."""

import statistics

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q
from django.utils.translation import gettext as _

from experts.models import NeedTransition, Rating, Response, TechNeed
from kexie.portal.reports.selectors.base import ReportContext, Table, in_period, need_q


def first_response_days(ctx: ReportContext) -> list[float]:
    """Days from publication to the first expert response, one value per need
    published in the period that was answered (one query)."""
    waits = (
        TechNeed.objects.filter(need_q(ctx), in_period(ctx, "published_at"))
        .annotate(first_response=Min("responses__created_at"))
        .filter(first_response__isnull=False)
        .annotate(wait=ExpressionWrapper(F("first_response") - F("published_at"), DurationField()))
        .values_list("wait", flat=True)
    )
    return [wait.total_seconds() / 86400 for wait in waits]


def needs(ctx: ReportContext) -> Table:
    status = TechNeed.Status
    reached = NeedTransition.objects.filter(need_q(ctx, "need__"), in_period(ctx, "at")).aggregate(
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
        need_q(ctx, "engagement__need__"), in_period(ctx, "rated_at")
    ).aggregate(average=Avg("overall"), count=Count("pk"))
    experts = Response.objects.filter(
        need_q(ctx, "need__"), in_period(ctx, "created_at")
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
        named={**reached, "median_first_response_days": median, "ratings": rating["count"]},
        note=_(
            "收到、发布、匹配、解决：本期内进入该状态的需求数；"
            "首次响应天数：本期发布并有专家响应的需求，从发布到第一条响应。"
        ),
    )
