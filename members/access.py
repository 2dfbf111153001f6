"""Who may see or change which organisation's records.

Association staff see everything. An organisation manager sees the society or
branch they manage and every branch below it. Other apps scope their records
(events, contest projects …) through ``OrgScope.q``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from members.models import Branch, OrgManager, Society


def lookup_paths(field: str | Sequence[str] | None) -> tuple[str, ...]:
    if not field:
        return ()
    return (field,) if isinstance(field, str) else tuple(field)


@dataclass(frozen=True)
class OrgScope:
    everything: bool
    society_ids: frozenset[int]
    branch_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.society_ids and not self.branch_ids

    def q(
        self,
        *,
        society_field: str | Sequence[str] | None = "society",
        branch_field: str | Sequence[str] | None = "branch",
    ) -> Q:
        """A filter for records owned by a society or a branch of this scope.

        Each field is a lookup path or several (a person belongs to a branch
        and holds positions in others). An empty scope matches nothing
        (``Q(pk__in=[])``), never everything.
        """
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if self.society_ids:
            for field in lookup_paths(society_field):
                condition |= Q(**{f"{field}__in": self.society_ids})
        if self.branch_ids:
            for field in lookup_paths(branch_field):
                condition |= Q(**{f"{field}__in": self.branch_ids})
        return condition

    def covers_society(self, society_id: int | None) -> bool:
        return self.everything or (society_id is not None and society_id in self.society_ids)

    def covers_branch(self, branch_id: int | None) -> bool:
        return self.everything or (branch_id is not None and branch_id in self.branch_ids)


NOTHING = OrgScope(everything=False, society_ids=frozenset(), branch_ids=frozenset())
EVERYTHING = OrgScope(everything=True, society_ids=frozenset(), branch_ids=frozenset())


def branch_subtree_ids(root_ids) -> set[int]:
    """The given branches and all below them, one query per level of the tree."""
    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = (
            set(Branch.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def org_scope_for_user(user) -> OrgScope:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_association_staff:
        return EVERYTHING
    if not user.is_org_manager:
        return NOTHING
    rows = list(OrgManager.objects.filter(user=user).values_list("society_id", "branch_id"))
    society_ids = frozenset(s for s, _b in rows if s is not None)
    branch_ids = frozenset(branch_subtree_ids({b for _s, b in rows if b is not None}))
    return OrgScope(everything=False, society_ids=society_ids, branch_ids=branch_ids)


# Public pages. Dissolved societies are gone from the public site: their page
# answers 404 to everyone but association staff.


def society_for_user(user, pk: int) -> Society:
    queryset = Society.objects.all()
    if not (user.is_authenticated and user.is_association_staff):
        queryset = queryset.exclude(status=Society.Status.DISSOLVED)
    return get_object_or_404(queryset, pk=pk)


def branch_for_user(user, pk: int) -> Branch:
    return get_object_or_404(Branch.objects.select_related("town", "parent"), pk=pk)


def require_association_staff(user) -> None:
    """Staff pages: 403 for a logged-in user who is not association staff."""
    if not user.is_association_staff:
        raise PermissionDenied


# Contest projects are led by a society; branches join them as partners.


def can_enter_contest_project(scope: OrgScope) -> bool:
    """A manager of branches only has no society to lead a new project."""
    return scope.everything or bool(scope.society_ids)


def can_choose_contest_lead_and_partners(scope: OrgScope, project) -> bool:
    """Only the lead society's managers (and staff) choose its lead and partners.

    A partner branch's manager keeps the project's progress up to date; their
    choice lists, limited to their own scope, would blank the lead society and
    drop the other partners.
    """
    return scope.covers_society(project.society_id)


def can_change_person_branch(scope: OrgScope, person) -> bool:
    """A manager may not see, so may not keep or change, the branch of a person
    who belongs elsewhere and holds a post in theirs: a choice list limited to
    their own scope would blank it on every save."""
    return person.branch_id is None or scope.covers_branch(person.branch_id)
