"""The feedback tables of the staff reports: per event and per campaign, with
the response rate (answers ÷ survey links sent) and the mean of each standard
question (``SurveyQuestion.Topic``), whatever each kind's survey calls it.

Registered into ``selectors.TABLES`` by the app's ``ready``, so the dashboard,
the annual report and the Excel export read them like the others.
"""

from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.portal.reports.selectors import ReportContext, Table, held_events, percent
from outreach.models import FeedbackAnswer, FeedbackInvitation, SurveyQuestion

TOPIC = SurveyQuestion.Topic
#: Events listed one by one at most (the newest); the campaign table has them all.
EVENT_ROWS = 50


def _columns(first: str) -> list[str]:
    return [
        first,
        _("发送问卷"),
        _("收到反馈"),
        _("反馈率（%）"),
        _("总体满意度（5分）"),
        _("内容（5分）"),
        _("主讲人（5分）"),
        _("愿意推荐（%）"),
    ]


def _figures(ctx: ReportContext, group: str, **labels) -> tuple[dict, dict]:
    """Links sent and answered per group (with ``labels``, more fields of the
    event), and the mean per group and topic (two queries)."""
    sent = (
        FeedbackInvitation.objects.filter(held_events(ctx, "registration__event__"))
        .values(
            key=F(f"registration__event__{group}"),
            **{name: F(f"registration__event__{field}") for name, field in labels.items()},
        )
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    )
    means = (
        FeedbackAnswer.objects.filter(held_events(ctx, "response__event__"), value__isnull=False)
        .exclude(question__topic=TOPIC.OTHER)
        .values("question__topic", key=F(f"response__event__{group}"))
        .annotate(mean=Avg("value"))
        .order_by()
    )
    by_key = {row["key"]: row for row in sent}
    by_topic = {(row["key"], row["question__topic"]): row["mean"] for row in means}
    return by_key, by_topic


def _row(label, counts: dict, by_topic: dict, key) -> list:
    def mean(topic):
        value = by_topic.get((key, topic))
        return round(value, 2) if value is not None else "—"

    recommend = by_topic.get((key, TOPIC.RECOMMEND))
    rate = percent(counts["answered"], counts["sent"])
    return [
        label,
        counts["sent"],
        counts["answered"],
        rate if rate is not None else "—",
        mean(TOPIC.OVERALL),
        mean(TOPIC.CONTENT),
        mean(TOPIC.SPEAKER),
        round(100 * recommend, 1) if recommend is not None else "—",
    ]


def feedback_by_event(ctx: ReportContext) -> Table:
    by_key, by_topic = _figures(ctx, "pk", title="title", starts_at="starts_at")
    newest = sorted(by_key.values(), key=lambda row: (row["starts_at"], row["key"]), reverse=True)
    rows = [
        _row(
            f"{timezone.localtime(row['starts_at']):%m-%d} {row['title']}",
            row,
            by_topic,
            row["key"],
        )
        for row in newest[:EVENT_ROWS]
    ]
    return Table(
        name="feedback_events",
        title=_("活动反馈（按活动）"),
        columns=_columns(_("活动")),
        rows=rows,
        note=_("只列出向签到者发送过反馈问卷的活动（最近%(n)s场）。反馈率 = 收到反馈 ÷ 发送问卷。")
        % {"n": EVENT_ROWS},
    )


def feedback_by_campaign(ctx: ReportContext) -> Table:
    by_key, by_topic = _figures(ctx, "campaign__name")
    names = sorted((name for name in by_key if name), key=str)
    rows = [_row(name, by_key[name], by_topic, name) for name in names]
    if None in by_key:
        rows.append(_row(_("未归属品牌"), by_key[None], by_topic, None))
    sent = sum(counts["sent"] for counts in by_key.values())
    answered = sum(counts["answered"] for counts in by_key.values())
    rate = percent(answered, sent)
    rows.append([_("合计"), sent, answered, rate if rate is not None else "—", "", "", "", ""])
    return Table(
        name="feedback_campaigns",
        title=_("活动反馈（按品牌）"),
        columns=_columns(_("品牌活动")),
        rows=rows,
        has_total=True,
        note=_("满意度为1–5分的平均分；愿意推荐 = 回答“会”的比例。反馈匿名，不关联报名者。"),
    )


def register() -> None:
    from kexie.portal.reports import selectors

    selectors.TABLES.setdefault("feedback_events", feedback_by_event)
    selectors.TABLES.setdefault("feedback_campaigns", feedback_by_campaign)
