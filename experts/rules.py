"""Who may do what in the 科协帮: one predicate per permission.

The views (through ``experts.access``), the services and the admin ask the
same function, so a rule cannot differ between the page that offers an action
and the service that performs it. A predicate answers a question and touches
nothing; the caller decides whether a "no" is a 403, a 404 or a
``ValidationError``.

Ownership is read once per user object: ``enterprise_ids`` caches the
enterprises a user acts for on the user (a request's user, a service's
``by``); ``forget_enterprises`` drops the cache after the user joins one.
"""

from experts import workflow
from experts.models import (
    ConfidentialityAgreement,
    Engagement,
    Enterprise,
    Expert,
    Invitation,
    Response,
    TechNeed,
)

_ENTERPRISES = "_experts_enterprise_ids"


# --- who the user is ---------------------------------------------------------


def is_staff(user) -> bool:
    return user is not None and user.is_authenticated and user.is_association_staff


def enterprise_ids(user) -> frozenset[int]:
    """The enterprises this user acts for (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _ENTERPRISES, None)
    if cached is None:
        cached = frozenset(user.enterprises.values_list("pk", flat=True))
        setattr(user, _ENTERPRISES, cached)
    return cached


def forget_enterprises(user) -> None:
    """Drop the cached answer of ``enterprise_ids`` (the user just joined an enterprise)."""
    if user is not None:
        user.__dict__.pop(_ENTERPRISES, None)


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    """A user acting for the enterprise, or staff."""
    return is_staff(user) or enterprise.pk in enterprise_ids(user)


def is_owner(user, need: TechNeed) -> bool:
    """The user acts for the enterprise that posted the need."""
    return need.enterprise_id in enterprise_ids(user)


def is_expert_of(user, expert: Expert | None) -> bool:
    """``expert`` is this user's own expert record."""
    return (
        expert is not None
        and user is not None
        and user.is_authenticated
        and expert.user_id is not None
        and expert.user_id == user.pk
    )


# --- needs -------------------------------------------------------------------


def need_actor(user, need: TechNeed) -> workflow.Actor | None:
    """The part ``user`` plays in the need's workflow, or None for a stranger."""
    if is_staff(user):
        return workflow.Actor.STAFF
    if is_owner(user, need):
        return workflow.Actor.OWNER
    return None


def is_invited(expert: Expert | None, need: TechNeed) -> bool:
    return expert is not None and Invitation.objects.filter(need=need, expert=expert).exists()


def has_agreed(expert: Expert | None, need: TechNeed) -> bool:
    return (
        expert is not None
        and ConfidentialityAgreement.objects.filter(need=need, expert=expert).exists()
    )


def can_respond(expert: Expert | None, need: TechNeed) -> bool:
    """An expert reads the details, and so may answer, once invited or after agreeing
    to keep them confidential."""
    return is_invited(expert, need) or has_agreed(expert, need)


def can_see_confidential(user, need: TechNeed, expert: Expert | None = None) -> bool:
    """Details and attachments: staff, the owner, invited experts, experts who agreed.

    ``expert`` is the user's active expert record, when they have one.
    """
    return is_staff(user) or is_owner(user, need) or can_respond(expert, need)


def can_invite(user) -> bool:
    return is_staff(user)


def can_decline_invitation(user, invitation: Invitation) -> bool:
    return is_expert_of(user, invitation.expert)


# --- responses ---------------------------------------------------------------


def can_accept_response(user, response: Response) -> bool:
    """Only the enterprise chooses its expert: staff advise, they do not choose."""
    return is_owner(user, response.need)


def can_message_response(user, response: Response) -> bool:
    """The thread under a response is between the enterprise and that expert."""
    return is_owner(user, response.need) or is_expert_of(user, response.expert)


# --- engagements -------------------------------------------------------------


def engagement_side(user, engagement: Engagement) -> str | None:
    """``staff``, ``expert`` or ``enterprise``: who ``user`` is in this engagement."""
    if is_staff(user):
        return "staff"
    if is_expert_of(user, engagement.expert):
        return "expert"
    if is_owner(user, engagement.need):
        return "enterprise"
    return None


def can_log_service(user, engagement: Engagement) -> bool:
    return engagement_side(user, engagement) is not None


def can_resolve(user, need: TechNeed) -> bool:
    return is_owner(user, need) or is_staff(user)


def can_rate(user, need: TechNeed) -> bool:
    return is_owner(user, need)


def can_reply_to_rating(user, engagement: Engagement) -> bool:
    return is_expert_of(user, engagement.expert)


# --- experts -----------------------------------------------------------------


def can_edit_expert_profile(user, expert: Expert) -> bool:
    return is_expert_of(user, expert) or is_staff(user)


# --- joining the expert pool ---------------------------------------------------


def can_apply_as_expert(user) -> bool:
    """Any signed-in person may ask to join; staff check who they are."""
    return user is not None and user.is_authenticated and user.is_active


def can_review_applications(user) -> bool:
    return is_staff(user)
