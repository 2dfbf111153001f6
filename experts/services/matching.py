"""Recommendation snapshots, invitations and confidentiality undertakings."""

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import notify, rules, workflow
from experts.matching import need_query_text, recommend_experts, semantic
from experts.models import (
    ConfidentialityAgreement,
    Expert,
    Invitation,
    NeedRecommendation,
    TechNeed,
)
from experts.services.transitions import need_transition

S = TechNeed.Status


def confidentiality_text(need: TechNeed) -> str:
    return _(
        "本人承诺：对「%(title)s」的详细内容及附件严格保密，仅用于研究解决方案和与企业沟通，"
        "未经企业书面同意，不向任何第三方披露，不用于其他目的。"
    ) % {"title": need.title}


@transaction.atomic
def need_recommendations_refresh(*, need: TechNeed) -> list[NeedRecommendation]:
    """Keep the current ranking of an open need, for experts' dashboards."""
    if need.status not in workflow.OPEN_STATUSES:
        return []
    ranking = recommend_experts(need, limit=settings.EXPERTS_RECOMMENDATION_LIMIT)
    NeedRecommendation.objects.filter(need=need).exclude(
        expert__in=[rec.expert for rec in ranking]
    ).delete()
    rows = []
    for rank, rec in enumerate(ranking, start=1):
        row, _created = NeedRecommendation.objects.update_or_create(
            need=need,
            expert=rec.expert,
            defaults={"rank": rank, "score": rec.score, "reasons": list(rec.reasons)},
        )
        rows.append(row)
    return rows


# Set while a refresh of every open need's ranking is queued: what asks for one in the
# meantime joins it. The refresh clears it as it starts, so a change made while it runs
# gets a refresh of its own.
REFRESH_QUEUED = "experts:recommendations-refresh-queued"
REFRESH_QUEUED_SECONDS = 15 * 60


def recommendations_refresh_enqueue() -> None:
    """After this transaction commits, have a worker refresh every open need's ranking
    (``reminders.recommendations_refresh_all``), so that an expert who has just joined
    or changed their profile finds the needs recommended to them within minutes, not
    after the night's refresh."""
    from experts.tasks import recommendations_refresh as task

    def enqueue():
        try:
            if cache.add(REFRESH_QUEUED, True, REFRESH_QUEUED_SECONDS):
                task.delay()
        except Exception:
            # Broker or cache down: the night's refresh brings the dashboards up to date.
            with contextlib.suppress(Exception):
                cache.delete(REFRESH_QUEUED)

    transaction.on_commit(enqueue)


def need_vector_prepare(*, need_id: int) -> bool:
    """Encode a need's text for the semantic bridge and keep the vector in the
    shared cache, so that staff's first look at the need (its review page, its
    publication) reads the vector instead of encoding it (about 100 ms with
    both models). False when the bridge is off or the need is gone."""
    need = TechNeed.objects.filter(pk=need_id).only("title", "summary").first()
    if need is None:
        return False
    return semantic.text_vector(need_query_text(need)) is not None


def need_vector_enqueue(*, need: TechNeed) -> None:
    """After this transaction commits, have a worker prepare the need's vector."""
    from experts.tasks import need_vector_prepare as task

    def enqueue():
        # If the broker is down, the first ranking encodes the need itself.
        with contextlib.suppress(Exception):
            task.delay(need.pk)

    transaction.on_commit(enqueue)


@transaction.atomic
def invitation_create(*, need: TechNeed, expert: Expert, by, message: str = "") -> Invitation:
    """Staff invite an expert to a published need; the expert is notified once."""
    locked = TechNeed.objects.select_for_update().get(pk=need.pk)
    if locked.status not in workflow.OPEN_STATUSES:
        raise ValidationError(_("只能邀请专家对接已发布的需求。"), code="need_not_open")
    if not expert.is_active or expert.availability == Expert.Availability.UNAVAILABLE:
        raise ValidationError(_("该专家暂不接受对接。"), code="expert_unavailable")
    if Invitation.objects.filter(need=locked, expert=expert).exists():
        raise ValidationError(_("已经邀请过这位专家。"), code="already_invited")
    invitation = Invitation(need=locked, expert=expert, invited_by=by, message=message.strip())
    invitation.full_clean()
    invitation.save()
    if locked.status == S.PUBLISHED:
        need_transition(need=need, to_status=S.MATCHED, by=by, as_system=True)
    notify.to_expert(
        expert,
        template="experts-invitation",
        context={"need": locked, "invitation": invitation, "need_url": notify.need_url(locked)},
        dedupe_key=f"experts:invitation:{invitation.pk}",
    )
    return invitation


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by) -> Invitation:
    """The expert lets staff know they will not take this need up."""
    if not rules.can_decline_invitation(by, invitation):
        raise ValidationError(_("只能婉拒发给自己的邀请。"), code="not_own_invitation")
    if invitation.declined_at is None:
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


@transaction.atomic
def confidentiality_accept(*, need: TechNeed, expert: Expert, by) -> ConfidentialityAgreement:
    """Record an expert's undertaking to keep a need's details confidential."""
    if need.status not in workflow.OPEN_STATUSES:
        raise ValidationError(_("该需求当前不接受专家查看保密内容。"), code="need_not_open")
    existing = ConfidentialityAgreement.objects.filter(need=need, expert=expert).first()
    if existing:
        return existing
    agreement = ConfidentialityAgreement(
        need=need, expert=expert, accepted_by=by, text=confidentiality_text(need)
    )
    agreement.full_clean()
    agreement.save()
    return agreement
