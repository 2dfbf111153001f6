"""Who may see or change which 科协帮 record.

Staff see everything. Users acting for an enterprise see their own needs in
every state. Experts see the confidential part of a need only once invited
to it or after accepting its confidentiality undertaking. Anyone sees the
public summary of a published need. What a user must not know exists is a
404; what they may see but not change is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from experts import rules, workflow
from experts.models import (
    Achievement,
    Enterprise,
    Expert,
    ExpertApplication,
    NeedAttachment,
    Response,
    TechNeed,
    Workstation,
)
from experts.rules import enterprise_ids, is_owner, is_staff
from kexie.platform.lib.prepared import Prepared


def enterprise_for_user(user) -> Enterprise | None:
    """The enterprise a user posts needs for (the first, if several)."""
    ids = enterprise_ids(user)
    if not ids:
        return None
    return Enterprise.objects.filter(pk__in=ids).order_by("pk").first()


# Read on every page of an expert: its SQL built once (one row: the user is unique).
_EXPERT_OF_USER = Prepared(
    lambda user_id: Expert.objects.filter(user_id=user_id, is_active=True).order_by()
)


def expert_profile(user) -> Expert | None:
    """The expert record linked to this user, if any (cached for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_experts_profile"):
        user._experts_profile = _EXPERT_OF_USER.first(user_id=user.pk)
    return user._experts_profile


def can_see_confidential(user, need: TechNeed) -> bool:
    """Details, attachments: staff, the owner, invited experts, experts who agreed."""
    return rules.can_see_confidential(user, need, expert_profile(user))


def is_engaged_expert(user, need: TechNeed) -> bool:
    expert = expert_profile(user)
    return expert is not None and Response.objects.filter(need=need, expert=expert).exists()


def need_for_user(user, pk: int, *, write: bool = False) -> TechNeed:
    """A need this user may see; with ``write``, one they may change as its owner or staff."""
    need = get_object_or_404(TechNeed.objects.select_related("enterprise"), pk=pk)
    if is_staff(user) or is_owner(user, need):
        return need
    visible = need.status in workflow.PUBLIC_STATUSES or (
        need.status in workflow.ACTIVE_STATUSES and can_see_confidential(user, need)
    )
    if not visible:
        raise Http404
    if write:
        raise PermissionDenied
    return need


def need_for_owner(user, pk: int) -> TechNeed:
    """A need only its owner (or staff) may act on as the enterprise."""
    need = need_for_user(user, pk)
    if not (is_owner(user, need) or is_staff(user)):
        raise PermissionDenied
    return need


def attachment_for_user(user, pk: int) -> NeedAttachment:
    attachment = get_object_or_404(NeedAttachment.objects.select_related("need"), pk=pk)
    if not can_see_confidential(user, attachment.need):
        raise Http404
    return attachment


def response_for_user(user, pk: int) -> Response:
    """A response: its need's owner, its expert and staff see it; nobody else knows it."""
    response = get_object_or_404(
        Response.objects.select_related("need", "need__enterprise", "expert"), pk=pk
    )
    if is_staff(user) or is_owner(user, response.need):
        return response
    expert = expert_profile(user)
    if expert is not None and response.expert_id == expert.pk:
        return response
    raise Http404


def engagement_need_for_user(user, pk: int) -> TechNeed:
    """A need with an engagement: staff, the owner and the engaged expert; 404 for others."""
    need = need_for_user(user, pk)
    engagement = getattr(need, "engagement", None)
    if engagement is None:
        raise Http404
    if is_staff(user) or is_owner(user, need):
        return need
    expert = expert_profile(user)
    if expert is not None and engagement.expert_id == expert.pk:
        return need
    # The engagement is the two parties' business: others do not learn it exists.
    raise Http404


def expert_for_user(user, pk: int) -> Expert:
    """A public, active profile; a private one only for staff and its own expert."""
    expert = get_object_or_404(Expert, pk=pk)
    if is_staff(user) or (user.is_authenticated and expert.user_id == user.pk):
        return expert
    if not (expert.is_public and expert.is_active):
        raise Http404
    return expert


def achievement_for_user(user, pk: int) -> Achievement:
    achievement = get_object_or_404(Achievement.objects.select_related("field", "expert"), pk=pk)
    if not achievement.is_published and not is_staff(user):
        raise Http404
    return achievement


def workstation_for_user(user, pk: int) -> Workstation:
    workstation = get_object_or_404(Workstation.objects.select_related("host", "host__town"), pk=pk)
    if workstation.status == Workstation.Status.APPLIED and not is_staff(user):
        raise Http404
    return workstation


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied


def require_enterprise(user) -> Enterprise:
    enterprise = enterprise_for_user(user)
    if enterprise is None:
        raise PermissionDenied
    return enterprise


def require_expert(user) -> Expert:
    expert = expert_profile(user)
    if expert is None:
        raise PermissionDenied
    return expert


def application_for_staff(user, pk: int) -> ExpertApplication:
    """An expert application: staff review it; others may not (403, as every staff page)."""
    if not rules.can_review_applications(user):
        raise PermissionDenied
    return get_object_or_404(
        ExpertApplication.objects.select_related("user", "decided_by", "expert"), pk=pk
    )


def require_application_reviewer(user) -> None:
    if not rules.can_review_applications(user):
        raise PermissionDenied
