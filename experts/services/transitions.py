"""The only writer of a need's status (``TechNeed.status``).

Its own module, below every other service: responses, engagements and
invitations move a need on as a consequence of what they do, and import this
without importing each other.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import rules, workflow
from experts.models import NeedTransition, TechNeed

S = TechNeed.Status


@transaction.atomic
def need_transition(
    *, need: TechNeed, to_status: str, by, reason: str = "", as_system: bool = False
) -> TechNeed:
    """Move a need to another status if the workflow allows it, and record it.

    ``as_system`` marks a change that follows from another action of ``by``
    (accepting a response moves the need to accepted).
    """
    locked = TechNeed.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
    actor = workflow.Actor.SYSTEM if as_system else rules.need_actor(by, locked)
    if actor is None:
        raise ValidationError(_("您不能更改这条需求的状态。"), code="not_permitted")
    workflow.check(from_status=locked.status, to_status=to_status, actor=actor, reason=reason)
    now = timezone.now()
    NeedTransition.objects.create(
        need=locked,
        from_status=locked.status,
        to_status=to_status,
        by=by,
        at=now,
        reason=(reason or "").strip(),
    )
    locked.status = to_status
    locked.status_changed_at = now
    if to_status == S.PUBLISHED and locked.published_at is None:
        locked.published_at = now
    locked.save(update_fields=["status", "status_changed_at", "published_at", "updated_at"])
    need.status = locked.status
    need.status_changed_at = locked.status_changed_at
    need.published_at = locked.published_at
    return need
