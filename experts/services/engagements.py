"""The engagement: service log, resolution, the enterprise's rating and the reply."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import notify, rules
from experts.models import Engagement, Rating, ServiceLogEntry, TechNeed
from experts.services.transitions import need_transition

S = TechNeed.Status


def _engagement(need: TechNeed) -> Engagement:
    engagement = Engagement.objects.select_related("expert").filter(need=need).first()
    if engagement is None:
        raise ValidationError(_("该需求还没有确定对接专家。"), code="no_engagement")
    return engagement


def _fresh(need: TechNeed) -> TechNeed:
    """The need as stored, locked: a page may hold a status that has since changed."""
    return TechNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)


@transaction.atomic
def service_log_add(
    *, need: TechNeed, by, kind: str, occurred_on: date, summary: str
) -> ServiceLogEntry:
    """Either side records a visit, call, meeting or report; the first one
    starts the service."""
    engagement = _engagement(need)
    if not rules.can_log_service(by, engagement):
        raise ValidationError(_("只有对接双方和科协工作人员可以操作。"), code="not_participant")
    need = _fresh(need)
    if need.status not in (S.ACCEPTED, S.IN_SERVICE):
        raise ValidationError(_("服务已结束，不能再添加服务记录。"), code="service_finished")
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("日期不能晚于今天。")})
    entry = ServiceLogEntry(
        engagement=engagement,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary.strip(),
        author=by,
    )
    entry.full_clean()
    entry.save()
    if need.status == S.ACCEPTED:
        need_transition(need=need, to_status=S.IN_SERVICE, by=by, as_system=True)
    return entry


@transaction.atomic
def engagement_resolve(*, need: TechNeed, by, outcome: str) -> Engagement:
    """The enterprise (or staff) marks the need resolved; the enterprise is asked to rate."""
    engagement = _engagement(need)
    if not rules.can_resolve(by, need):
        raise ValidationError(
            _("只有发布需求的企业和科协工作人员可以标记解决。"), code="not_permitted"
        )
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("请简要说明服务成效。")})
    need_transition(need=need, to_status=S.RESOLVED, by=by)
    engagement.outcome = outcome.strip()
    engagement.resolved_at = timezone.now()
    engagement.save(update_fields=["outcome", "resolved_at"])
    notify.to_enterprise(
        need.enterprise,
        template="experts-rate-request",
        context={"need": need, "engagement": engagement, "need_url": notify.need_url(need)},
        dedupe_key=f"experts:rate-request:{need.pk}",
    )
    return engagement


@transaction.atomic
def rating_create(
    *,
    need: TechNeed,
    by,
    overall: int,
    timeliness: int,
    expertise: int,
    outcome: int,
    comment: str = "",
) -> Rating:
    """The enterprise rates a resolved engagement, once."""
    engagement = _engagement(need)
    if not rules.can_rate(by, need):
        raise ValidationError(_("只有发布需求的企业可以评价。"), code="not_owner")
    need = _fresh(need)
    if need.status != S.RESOLVED:
        raise ValidationError(_("只有已解决的需求可以评价。"), code="not_resolved")
    if Rating.objects.filter(engagement=engagement).exists():
        raise ValidationError(_("该服务已经评价过了。"), code="already_rated")
    rating = Rating(
        engagement=engagement,
        overall=overall,
        timeliness=timeliness,
        expertise=expertise,
        outcome=outcome,
        comment=(comment or "").strip(),
        rated_by=by,
    )
    rating.full_clean()
    rating.save()
    need_transition(need=need, to_status=S.RATED, by=by, as_system=True)
    notify.to_expert(
        engagement.expert,
        template="experts-rated",
        context={"need": need, "rating": rating, "need_url": notify.need_url(need)},
        dedupe_key=f"experts:rated:{rating.pk}",
    )
    return rating


@transaction.atomic
def rating_reply(*, need: TechNeed, by, reply: str) -> Rating:
    """The engaged expert answers the enterprise's rating."""
    engagement = _engagement(need)
    if not rules.can_reply_to_rating(by, engagement):
        raise ValidationError(_("只有对接专家可以回复评价。"), code="not_expert")
    rating = Rating.objects.filter(engagement=engagement).first()
    if rating is None:
        raise ValidationError(_("企业还没有评价。"), code="not_rated")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"expert_reply": _("请填写回复内容。")})
    rating.expert_reply = reply
    rating.replied_at = timezone.now()
    rating.full_clean()
    rating.save(update_fields=["expert_reply", "replied_at"])
    return rating
