"""The 科协帮's part of the staff's daily digest: needs waiting too long for
review, and published needs no expert has answered, each with the working
days it has waited (China's calendar, holidays and worked weekends included)."""

from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import notify, workflow
from experts.models import Response, TechNeed
from experts.workdays import WorkCalendar, working_days_before, working_days_between
from kexie.platform.digests.registry import DigestItem, DigestSection

S = TechNeed.Status


def _items(needs: list[TechNeed], since: str, now: datetime, detail: str) -> list[DigestItem]:
    if not needs:
        return []
    calendar = WorkCalendar.load(
        timezone.localdate(min(getattr(n, since) for n in needs)), timezone.localdate(now)
    )
    return [
        DigestItem(
            title=need.title + _("（%(title)s）") % {"title": need.enterprise.name},
            url=notify.need_url(need),
            detail=detail
            % {"days": working_days_between(getattr(need, since), now, calendar=calendar)},
        )
        for need in needs
    ]


def review_overdue(now: datetime) -> DigestSection:
    cutoff = working_days_before(now, settings.EXPERTS_REVIEW_ALERT_WORKING_DAYS)
    needs = list(
        TechNeed.objects.filter(status=S.SUBMITTED, status_changed_at__lte=cutoff)
        .select_related("enterprise")
        .order_by("status_changed_at", "pk")
    )
    return DigestSection(
        title=_("等待审核的技术需求"),
        items=_items(needs, "status_changed_at", now, _("已等待%(days)s个工作日")),
    )


def response_overdue(now: datetime) -> DigestSection:
    cutoff = working_days_before(now, settings.EXPERTS_RESPONSE_ALERT_WORKING_DAYS)
    needs = list(
        TechNeed.objects.filter(status__in=workflow.OPEN_STATUSES, published_at__lte=cutoff)
        .exclude(Exists(Response.objects.filter(need=OuterRef("pk"))))
        .select_related("enterprise")
        .order_by("published_at", "pk")
    )
    return DigestSection(
        title=_("发布后仍无专家响应的需求"),
        items=_items(needs, "published_at", now, _("发布已%(days)s个工作日，可邀请推荐的专家")),
    )
