"""Transition tables: every legal change of a record's status, in one table.

A workflow (``experts.workflow`` for needs, ``outreach.workflow`` for events,
registrations and lecture requests) is a ``Table``: which change each kind of
actor may make, and whether it needs a reason. ``Table.check`` refuses any
other change with a translated ``ValidationError`` naming both states (or the
table's own message for a refusal people meet often). ``Table.move`` is how a
service changes a status: it checks, sets the field and marks the instance
with who and why, which its next ``save()`` records in the change history
(django-simple-history); ``Table.move_many`` does the same for many rows in
two queries.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history


@dataclass(frozen=True)
class Rule:
    actors: frozenset[str]
    reason_required: bool = False


def rule(*actors: str, reason_required: bool = False) -> Rule:
    return Rule(actors=frozenset(actors), reason_required=reason_required)


#: A refusal met often enough to deserve its own words: (message, code).
Refusal = tuple[str, str]


@dataclass(frozen=True)
class Table:
    #: What the record is called in messages (需求, 活动, 报名 …), lazily translated.
    noun: str
    states: type[models.TextChoices]
    transitions: Mapping[tuple[str, str], Rule]
    #: ``(from, to)`` → refusal; ``(None, to)`` for any other state it may not come from.
    refusals: Mapping[tuple[str | None, str], Refusal] = field(default_factory=dict)
    status_field: str = "status"

    def allowed_targets(self, status: str, actor: str) -> list[str]:
        """The states ``actor`` may move a record in ``status`` to, in table order."""
        return [
            to
            for (frm, to), rule in self.transitions.items()
            if frm == status and actor in rule.actors
        ]

    def label(self, status: str) -> str:
        return self.states(status).label if status else "-"

    def check(self, *, from_status: str, to_status: str, actor: str, reason: str = "") -> Rule:
        """The rule of this change; ``ValidationError`` unless ``actor`` may make it."""
        rule = self.transitions.get((from_status, to_status))
        if rule is None:
            refusal = self.refusals.get((from_status, to_status)) or self.refusals.get(
                (None, to_status)
            )
            if refusal is not None:
                raise ValidationError(str(refusal[0]), code=refusal[1])
            raise ValidationError(
                _("不能将%(noun)s从「%(from)s」改为「%(to)s」。")
                % {"noun": self.noun, "from": self.label(from_status), "to": self.label(to_status)},
                code="illegal_transition",
            )
        if actor not in rule.actors:
            raise ValidationError(
                _("您不能将%(noun)s改为「%(to)s」。")
                % {"noun": self.noun, "to": self.label(to_status)},
                code="transition_not_permitted",
            )
        if rule.reason_required and not (reason or "").strip():
            raise ValidationError(
                _("将%(noun)s改为「%(to)s」时请填写原因。")
                % {"noun": self.noun, "to": self.label(to_status)},
                code="reason_required",
            )
        return rule

    def _reason(self, from_status: str, to_status: str, reason: str) -> str:
        change = f"{self.label(from_status)} → {self.label(to_status)}"
        reason = (reason or "").strip()
        return f"{change}: {reason}"[:100] if reason else change[:100]

    def move(self, instance, *, to_status: str, actor: str, by=None, reason: str = "") -> None:
        """Check the change and make it on ``instance`` (unsaved): its next
        ``save()`` writes the new status and a history row saying who and why."""
        from_status = getattr(instance, self.status_field)
        self.check(from_status=from_status, to_status=to_status, actor=actor, reason=reason)
        setattr(instance, self.status_field, to_status)
        instance._workflow_moved = to_status
        instance._change_reason = self._reason(from_status, to_status, reason)
        if by is not None and getattr(by, "is_authenticated", False):
            instance._history_user = by

    def move_many(
        self,
        instances: Iterable,
        *,
        to_status: str,
        actor: str,
        by=None,
        reason: str = "",
        fields: Iterable[str] = (),
    ) -> list:
        """Move each row, then save them and their history in bulk (two queries)."""
        rows = list(instances)
        for instance in rows:
            self.move(instance, to_status=to_status, actor=actor, by=by, reason=reason)
        if rows:
            user = by if by is not None and getattr(by, "is_authenticated", False) else None
            bulk_update_with_history(
                rows,
                type(rows[0]),
                [self.status_field, *fields],
                default_user=user,
                default_change_reason=rows[0]._change_reason,
            )
        return rows

    def require_moved(self, instance, stored_status: str) -> None:
        """Refuse a save that changes the status without ``move`` (a form, a shortcut)."""
        status = getattr(instance, self.status_field)
        if status != stored_status and getattr(instance, "_workflow_moved", None) != status:
            raise ValidationError(
                _("%(noun)s的状态只能通过相应的操作更改。") % {"noun": self.noun},
                code="status_not_editable",
            )
