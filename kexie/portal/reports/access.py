"""Who may read the reports, and whose figures they show.

Association staff see everything, organisation managers their own
organisations and the branches under them; anyone else gets 403. Either may
narrow the report to one society (``?society=<id>``) or one branch and those
under it (``?branch=<id>``) within what they may see; an organisation outside
that answers 404, as if it did not exist.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from kexie.platform.lib.listing import list_text
from kexie.portal.reports.params import ReportParamError
from members.access import OrgScope, branch_subtree_ids, org_scope_for_user
from members.models import Branch, OrgManager, Society


@dataclass(frozen=True)
class ReportScope:
    scope: OrgScope
    label: str
    #: The narrowing parameter to carry over to links ({} when none).
    query: dict
    #: Everything the user may see, for the choice of organisation.
    full: OrgScope


def _org_id(value: str) -> int:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise ReportParamError(_("组织编号须是数字。"))
    return int(value)


def _manager_label(user) -> str:
    names = OrgManager.objects.filter(user=user).values_list(
        Coalesce("society__name", "branch__name"), flat=True
    )
    return list_text(sorted(names)) or _("本组织")


def report_scope_for_user(user, query) -> ReportScope:
    scope = org_scope_for_user(user)
    if scope.is_empty:
        raise PermissionDenied
    branch, society = query.get("branch", ""), query.get("society", "")
    if branch and society:
        raise ReportParamError(_("只能选择一个学会或一个基层组织。"))
    if branch:
        pk = _org_id(branch)
        name = Branch.objects.filter(pk=pk).values_list("name", flat=True).first()
        if name is None or not scope.covers_branch(pk):
            raise Http404(_("没有这个基层组织。"))
        narrowed = OrgScope(
            everything=False,
            society_ids=frozenset(),
            branch_ids=frozenset(branch_subtree_ids({pk})),
        )
        return ReportScope(narrowed, name, {"branch": pk}, scope)
    if society:
        pk = _org_id(society)
        name = Society.objects.filter(pk=pk).values_list("name", flat=True).first()
        if name is None or not scope.covers_society(pk):
            raise Http404(_("没有这个学会。"))
        narrowed = OrgScope(everything=False, society_ids=frozenset({pk}), branch_ids=frozenset())
        return ReportScope(narrowed, name, {"society": pk}, scope)
    if scope.everything:
        return ReportScope(scope, _("平湖市科协（全市）"), {}, scope)
    return ReportScope(scope, _manager_label(user), {}, scope)
