"""Joining the expert pool: a person applies, staff approve or decline."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import notify, rules
from experts.models import Discipline, Expert, ExpertApplication
from experts.services.catalogue import expert_save
from experts.services.matching import recommendations_refresh_enqueue
from kexie.platform.accounts.models import User
from kexie.platform.outbox.services import notify_user

A = ExpertApplication.Status


def _refuse_existing_expert(user) -> None:
    if Expert.objects.filter(user=user).exists():
        raise ValidationError(
            _("您的账户已关联专家档案，可在专家工作台修改资料。"), code="already_expert"
        )


@transaction.atomic
def application_submit(
    *,
    user,
    name: str,
    title: str,
    organisation: str,
    region: str,
    fields: list[Discipline],
    keywords: list[str],
    biography: str,
) -> ExpertApplication:
    """A signed-in person applies to join the expert pool; staff are told once."""
    if not rules.can_apply_as_expert(user):
        raise ValidationError(_("请先登录。"), code="not_permitted")
    _refuse_existing_expert(user)
    if not fields:
        raise ValidationError({"fields": _("请至少选择一个专业领域。")})
    if ExpertApplication.objects.filter(user=user, status=A.PENDING).exists():
        raise ValidationError(
            _("您已有一份待审核的申请，请耐心等待科协工作人员审核。"), code="already_pending"
        )
    application = ExpertApplication(
        user=user,
        name=(name or "").strip(),
        title=title,
        organisation=(organisation or "").strip(),
        region=region,
        keywords=list(keywords),
        biography=(biography or "").strip(),
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Sent twice at once: the other request's application is the one.
        raise ValidationError(
            _("您已有一份待审核的申请，请耐心等待科协工作人员审核。"), code="already_pending"
        ) from None
    application.fields.set(fields)
    notify.to_staff(
        template="experts-application-received",
        context={
            "application": application,
            "review_url": notify.absolute(application.get_absolute_url()),
        },
        dedupe_key=f"experts:application:{application.pk}",
    )
    return application


def _decidable(application: ExpertApplication, by) -> ExpertApplication:
    if not rules.can_review_applications(by):
        raise ValidationError(_("只有科协工作人员可以审核专家入库申请。"), code="not_permitted")
    locked = (
        ExpertApplication.objects.select_for_update().select_related("user").get(pk=application.pk)
    )
    if locked.status != A.PENDING:
        raise ValidationError(_("该申请已经审核过了。"), code="already_decided")
    return locked


@transaction.atomic
def application_approve(*, application: ExpertApplication, by) -> Expert:
    """Make the expert record from the application, linked to the applicant's account."""
    locked = _decidable(application, by)
    applicant = locked.user
    _refuse_existing_expert(applicant)
    expert = expert_save(
        name=locked.name,
        title=locked.title,
        organisation=locked.organisation,
        region=locked.region,
        fields=list(locked.fields.all()),
        keywords=list(locked.keywords),
        biography=locked.biography,
        user=applicant,
        contact_email=applicant.email or "",
        contact_phone=applicant.phone or "",
    )
    locked.status = A.APPROVED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.expert = expert
    locked.save(update_fields=["status", "decided_by", "decided_at", "expert"])
    if applicant.role == User.Role.PUBLIC:
        # The menu follows the role: the approved person now finds 专家工作台 there.
        applicant.role = User.Role.EXPERT
        applicant.save(update_fields=["role"])
    notify_user(
        applicant,
        template="experts-application-approved",
        context={
            "application": locked,
            "dashboard_url": notify.absolute(reverse("experts:expert_dashboard")),
        },
        dedupe_key=f"experts:application-approved:{locked.pk}",
    )
    application.status, application.expert = locked.status, expert
    # The new expert on the dashboards' rankings now, not after the night's refresh.
    recommendations_refresh_enqueue()
    return expert


@transaction.atomic
def application_decline(*, application: ExpertApplication, by, reason: str) -> ExpertApplication:
    """Decline with a reason the applicant reads; they may apply again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因，申请人会看到它。")})
    locked = _decidable(application, by)
    locked.status = A.DECLINED
    locked.decline_reason = reason
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    notify_user(
        locked.user,
        template="experts-application-declined",
        context={
            "application": locked,
            "reason": reason,
            "apply_url": notify.absolute(reverse("experts:expert_apply")),
        },
        dedupe_key=f"experts:application-declined:{locked.pk}",
    )
    application.status, application.decline_reason = locked.status, reason
    return locked
