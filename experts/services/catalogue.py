"""Enterprises, experts, achievements and workstations."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from experts import notify, rules
from experts.models import (
    Achievement,
    AchievementInterest,
    Discipline,
    Enterprise,
    Expert,
    Workstation,
    WorkstationReview,
)
from experts.services.matching import recommendations_refresh_enqueue
from experts.services.needs import keywords_resolve
from kexie.platform.lib.validators import normalize_credit_code


@transaction.atomic
def enterprise_register(
    *,
    user,
    name: str,
    credit_code: str,
    industry: str,
    town=None,
    size: str = Enterprise.Size.SMALL,
    contact_name: str = "",
    contact_phone: str = "",
    description: str = "",
) -> Enterprise:
    """A user registers the enterprise they act for; staff verify it later."""
    code = normalize_credit_code(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError(
            {"credit_code": _("该统一社会信用代码已登记，请联系科协工作人员将您加入该企业。")}
        )
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=code,
        industry=industry,
        town=town,
        size=size,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        description=description.strip(),
    )
    enterprise.full_clean()
    enterprise.save()
    if user is not None:
        enterprise.users.add(user)
        rules.forget_enterprises(user)
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    enterprise: Enterprise,
    by,
    industry: str,
    town=None,
    size: str,
    contact_name: str,
    contact_phone: str,
    description: str = "",
) -> Enterprise:
    """The enterprise's own details, kept up to date by the people acting for it. Its
    name and credit code are what staff verify: those change through staff."""
    if not rules.can_edit_enterprise(by, enterprise):
        raise ValidationError(_("只有企业本身的用户可以修改企业信息。"), code="not_allowed")
    enterprise.industry = industry
    enterprise.town = town
    enterprise.size = size
    enterprise.contact_name = contact_name.strip()
    enterprise.contact_phone = contact_phone.strip()
    enterprise.description = description.strip()
    enterprise.full_clean()
    enterprise._history_user = by
    enterprise.save()
    return enterprise


@transaction.atomic
def enterprise_verify(*, enterprise: Enterprise, by) -> Enterprise:
    """Staff have checked the enterprise's identity (its licence, its credit code)."""
    if not rules.is_staff(by):
        raise ValidationError(_("只有科协工作人员可以认证企业。"), code="not_staff")
    if not enterprise.verified:
        enterprise.verified = True
        enterprise._history_user = by
        enterprise.save(update_fields=["verified"])
    return enterprise


@transaction.atomic
def expert_save(
    *,
    expert: Expert | None = None,
    name: str,
    title: str,
    organisation: str,
    region: str,
    fields: list[Discipline],
    keywords: list[str],
    biography: str = "",
    availability: str = Expert.Availability.AVAILABLE,
    is_public: bool = True,
    user=None,
    person=None,
    contact_email: str = "",
    contact_phone: str = "",
    language: str | None = None,
) -> Expert:
    """Create or update an expert profile with its fields and keywords.
    ``language``: what the messages to an expert without an account are written
    in (kept as it is when not given)."""
    if not fields:
        raise ValidationError({"fields": _("请至少选择一个专业领域。")})
    expert = expert or Expert()
    expert.name = name.strip()
    expert.title = title
    expert.organisation = organisation.strip()
    expert.region = region
    expert.biography = biography.strip()
    expert.availability = availability
    expert.is_public = is_public
    expert.user = user
    expert.person = person
    expert.contact_email = contact_email
    expert.contact_phone = contact_phone
    if language is not None:
        expert.language = language
    expert.full_clean()
    expert.save()
    expert.fields.set(fields)
    expert.keywords.set(keywords_resolve(words=keywords))
    return expert


@transaction.atomic
def expert_delete(*, expert: Expert, by) -> None:
    """An expert who never took part in a need may be removed; one who did is
    deactivated instead, so the needs' records keep who answered them."""
    took_part = (
        expert.invitations.exists() or expert.responses.exists() or expert.engagements.exists()
    )
    if took_part:
        raise ValidationError(
            _("该专家已参与过需求对接，不能删除；请取消“有效”以停用。"), code="expert_has_history"
        )
    expert.delete()


def expert_profile_update(
    *,
    expert: Expert,
    by,
    title: str,
    organisation: str,
    region: str,
    fields: list[Discipline],
    keywords: list[str],
    biography: str,
    availability: str,
    is_public: bool,
) -> Expert:
    """An expert keeps their own profile; name, account and contacts stay with staff."""
    if not rules.can_edit_expert_profile(by, expert):
        raise ValidationError(_("只能修改自己的专家资料。"), code="not_own_profile")
    expert = expert_save(
        expert=expert,
        name=expert.name,
        title=title,
        organisation=organisation,
        region=region,
        fields=fields,
        keywords=keywords,
        biography=biography,
        availability=availability,
        is_public=is_public,
        user=expert.user,
        person=expert.person,
        contact_email=expert.contact_email,
        contact_phone=expert.contact_phone,
    )
    # Their new fields and keywords on the dashboards' rankings now, not after the night.
    recommendations_refresh_enqueue()
    return expert


def expert_digest_set(*, expert: Expert, enabled: bool) -> Expert:
    expert.weekly_digest = enabled
    expert.save(update_fields=["weekly_digest"])
    return expert


@transaction.atomic
def achievement_save(
    *,
    achievement: Achievement | None = None,
    title: str,
    summary: str,
    field: Discipline,
    maturity: str,
    terms: str,
    institution: str,
    terms_note: str = "",
    expert: Expert | None = None,
    is_published: bool = True,
) -> Achievement:
    achievement = achievement or Achievement()
    achievement.title = title.strip()
    achievement.summary = summary.strip()
    achievement.field = field
    achievement.maturity = maturity
    achievement.terms = terms
    achievement.terms_note = terms_note.strip()
    achievement.institution = institution.strip()
    achievement.expert = expert
    achievement.is_published = is_published
    achievement.full_clean()
    achievement.save()
    return achievement


@transaction.atomic
def achievement_interest_create(
    *, achievement: Achievement, enterprise: Enterprise, by, message: str
) -> AchievementInterest:
    """An enterprise would like to discuss an achievement; staff are told once."""
    if not achievement.is_published:
        raise ValidationError(_("该成果未公开。"), code="not_published")
    if AchievementInterest.objects.filter(achievement=achievement, enterprise=enterprise).exists():
        raise ValidationError(
            _("贵企业已经提交过对该成果的合作意向，科协工作人员会尽快联系。"),
            code="already_interested",
        )
    interest = AchievementInterest(
        achievement=achievement, enterprise=enterprise, user=by, message=(message or "").strip()
    )
    interest.full_clean()
    interest.save()
    notify.to_staff(
        template="experts-achievement-interest",
        context={"interest": interest, "achievement": achievement, "enterprise": enterprise},
        dedupe_key=f"experts:interest:{interest.pk}",
    )
    return interest


@transaction.atomic
def achievement_interest_update(
    *, interest: AchievementInterest, by, status: str, staff_note: str = ""
) -> AchievementInterest:
    interest.status = status
    interest.staff_note = (staff_note or "").strip()
    interest.handled_by = by
    interest.full_clean()
    interest.save()
    return interest


@transaction.atomic
def workstation_save(
    *,
    workstation: Workstation | None = None,
    name: str,
    kind: str,
    host: Enterprise,
    experts: list[Expert],
    established: date | None = None,
    description: str = "",
    status: str = Workstation.Status.APPLIED,
) -> Workstation:
    workstation = workstation or Workstation()
    workstation.name = name.strip()
    workstation.kind = kind
    workstation.host = host
    workstation.established = established
    workstation.description = description.strip()
    workstation.status = status
    workstation.full_clean()
    workstation.save()
    workstation.experts.set(experts)
    return workstation


@transaction.atomic
def workstation_review_add(
    *, workstation: Workstation, year: int, result: str, notes: str = "", by=None
) -> WorkstationReview:
    if WorkstationReview.objects.filter(workstation=workstation, year=year).exists():
        raise ValidationError(
            _("%(year)s年度的考核已经登记。") % {"year": year}, code="review_exists"
        )
    review = WorkstationReview(
        workstation=workstation, year=year, result=result, notes=notes.strip(), reviewed_by=by
    )
    review.full_clean()
    review.save()
    return review
