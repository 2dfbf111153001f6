"""Who may see or change which organisation's records.

Association staff see everything. An organisation manager sees the society or
branch they manage and every branch below it. Other apps scope their records
(events, contest projects …) through ``OrgScope.q``.
"""

from dataclasses import dataclass

from django.db.models import Q

from members.models import Branch, OrgManager


@dataclass(frozen=True)
class OrgScope:
    everything: bool
    society_ids: frozenset[int]
    branch_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.society_ids and not self.branch_ids

    def q(self, *, society_field: str | None = "society", branch_field: str | None = "branch") -> Q:
        """A filter for records owned by a society or a branch of this scope.

        An empty scope matches nothing (``Q(pk__in=[])``), never everything.
        """
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if society_field and self.society_ids:
            condition |= Q(**{f"{society_field}__in": self.society_ids})
        if branch_field and self.branch_ids:
            condition |= Q(**{f"{branch_field}__in": self.branch_ids})
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
