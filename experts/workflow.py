"""The life of a technical need: every legal change of status, in one table.

A change not in ``TRANSITIONS`` is refused with a message that names both
states. ``experts.services.needs.need_transition`` is the only writer of
``TechNeed.status``; it asks ``check`` first.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from experts.models import TechNeed

S = TechNeed.Status


class Actor(StrEnum):
    OWNER = "owner"  # a user acting for the need's enterprise
    STAFF = "staff"  # association staff
    SYSTEM = "system"  # a consequence of another action (accepting a response, rating)


@dataclass(frozen=True)
class Rule:
    actors: frozenset[Actor]
    reason_required: bool = False


def _rule(*actors: Actor, reason_required: bool = False) -> Rule:
    return Rule(actors=frozenset(actors), reason_required=reason_required)


OWNER, STAFF, SYSTEM = Actor.OWNER, Actor.STAFF, Actor.SYSTEM

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): _rule(OWNER),
    (S.DRAFT, S.WITHDRAWN): _rule(OWNER, STAFF),
    (S.SUBMITTED, S.PUBLISHED): _rule(STAFF),
    (S.SUBMITTED, S.REJECTED): _rule(STAFF, reason_required=True),
    (S.SUBMITTED, S.WITHDRAWN): _rule(OWNER, STAFF),
    # A rejected need goes back to its owner to revise and submit again.
    (S.REJECTED, S.DRAFT): _rule(OWNER),
    (S.REJECTED, S.WITHDRAWN): _rule(OWNER, STAFF),
    # Matched: experts were invited or answered of their own accord.
    (S.PUBLISHED, S.MATCHED): _rule(STAFF, SYSTEM),
    (S.PUBLISHED, S.WITHDRAWN): _rule(OWNER, STAFF),
    (S.PUBLISHED, S.CLOSED): _rule(STAFF, reason_required=True),
    (S.MATCHED, S.ACCEPTED): _rule(SYSTEM),
    (S.MATCHED, S.WITHDRAWN): _rule(OWNER, STAFF),
    (S.MATCHED, S.CLOSED): _rule(STAFF, reason_required=True),
    (S.ACCEPTED, S.IN_SERVICE): _rule(OWNER, STAFF, SYSTEM),
    (S.IN_SERVICE, S.RESOLVED): _rule(OWNER, STAFF),
    (S.RESOLVED, S.RATED): _rule(SYSTEM),
    # Staff close a resolved need the enterprise never rated, after reminding it.
    (S.RESOLVED, S.CLOSED): _rule(STAFF, reason_required=True),
    (S.RATED, S.CLOSED): _rule(STAFF, SYSTEM),
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


def allowed_targets(status: str, actor: Actor) -> list[str]:
    """The states ``actor`` may move a need in ``status`` to, in table order."""
    return [to for (frm, to), rule in TRANSITIONS.items() if frm == status and actor in rule.actors]


def check(*, from_status: str, to_status: str, actor: Actor, reason: str) -> None:
    """Raise ``ValidationError`` unless ``actor`` may make this change."""
    rule = TRANSITIONS.get((from_status, to_status))
    if rule is None:
        if to_status == S.WITHDRAWN and from_status in ACCEPTED_OR_LATER - {S.CLOSED}:
            raise ValidationError(
                _("需求已确定对接专家，不能再撤回。"), code="withdraw_after_acceptance"
            )
        raise ValidationError(
            _("不能将需求从「%(from)s」改为「%(to)s」。")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="illegal_transition",
        )
    if actor not in rule.actors:
        raise ValidationError(
            _("您不能将需求改为「%(to)s」。") % {"to": S(to_status).label},
            code="transition_not_permitted",
        )
    if rule.reason_required and not (reason or "").strip():
        raise ValidationError(
            _("将需求改为「%(to)s」时请填写原因。") % {"to": S(to_status).label},
            code="reason_required",
        )
