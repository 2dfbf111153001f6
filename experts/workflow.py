"""The life of a technical need: every legal change of status, in one table
(a ``kexie.platform.lib.workflow.Table``).

A change not in ``TRANSITIONS`` is refused with a message that names both
states. ``experts.services.transitions.need_transition`` is the only writer of
``TechNeed.status``; it asks ``check`` first and records a ``NeedTransition``.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from experts.models import TechNeed
from kexie.platform.lib.workflow import Rule, Table, rule

S = TechNeed.Status


class Actor(StrEnum):
    OWNER = "owner"  # a user acting for the need's enterprise
    STAFF = "staff"  # association staff
    SYSTEM = "system"  # a consequence of another action (accepting a response, rating)


OWNER, STAFF, SYSTEM = Actor.OWNER, Actor.STAFF, Actor.SYSTEM

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): rule(OWNER),
    (S.DRAFT, S.WITHDRAWN): rule(OWNER, STAFF),
    (S.SUBMITTED, S.PUBLISHED): rule(STAFF),
    (S.SUBMITTED, S.REJECTED): rule(STAFF, reason_required=True),
    (S.SUBMITTED, S.WITHDRAWN): rule(OWNER, STAFF),
    # Not reviewed yet: its owner may take it back to correct it, then submit again.
    (S.SUBMITTED, S.DRAFT): rule(OWNER),
    # A rejected need goes back to its owner to revise and submit again.
    (S.REJECTED, S.DRAFT): rule(OWNER),
    (S.REJECTED, S.WITHDRAWN): rule(OWNER, STAFF),
    # Matched: experts were invited or answered of their own accord.
    (S.PUBLISHED, S.MATCHED): rule(STAFF, SYSTEM),
    (S.PUBLISHED, S.WITHDRAWN): rule(OWNER, STAFF),
    (S.PUBLISHED, S.CLOSED): rule(STAFF, reason_required=True),
    (S.MATCHED, S.ACCEPTED): rule(SYSTEM),
    (S.MATCHED, S.WITHDRAWN): rule(OWNER, STAFF),
    (S.MATCHED, S.CLOSED): rule(STAFF, reason_required=True),
    (S.ACCEPTED, S.IN_SERVICE): rule(OWNER, STAFF, SYSTEM),
    (S.IN_SERVICE, S.RESOLVED): rule(OWNER, STAFF),
    (S.RESOLVED, S.RATED): rule(SYSTEM),
    # Staff close a resolved need the enterprise never rated, after reminding it.
    (S.RESOLVED, S.CLOSED): rule(STAFF, reason_required=True),
    (S.RATED, S.CLOSED): rule(STAFF, SYSTEM),
}

# States after which the enterprise has committed to an expert.
ACCEPTED_OR_LATER = frozenset({S.ACCEPTED, S.IN_SERVICE, S.RESOLVED, S.RATED, S.CLOSED})
# Needs open to experts' responses and shown on the public board.
OPEN_STATUSES = frozenset({S.PUBLISHED, S.MATCHED})
# Needs whose public summary may be seen by anyone.
PUBLIC_STATUSES = OPEN_STATUSES | ACCEPTED_OR_LATER
# Needs that still wait for somebody; the others are finished.
ACTIVE_STATUSES = frozenset(
    {S.SUBMITTED, S.PUBLISHED, S.MATCHED, S.ACCEPTED, S.IN_SERVICE, S.RESOLVED}
)


NEEDS = Table(
    noun=_("需求"),
    states=S,
    transitions=TRANSITIONS,
    refusals={
        (status, S.WITHDRAWN): (_("需求已确定对接专家，不能再撤回。"), "withdraw_after_acceptance")
        for status in ACCEPTED_OR_LATER - {S.CLOSED}
    },
)
allowed_targets = NEEDS.allowed_targets


def check(*, from_status: str, to_status: str, actor: Actor, reason: str) -> Rule:
    """Raise ``ValidationError`` unless ``actor`` may make this change."""
    return NEEDS.check(from_status=from_status, to_status=to_status, actor=actor, reason=reason)
