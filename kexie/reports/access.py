"""Who may read the reports: association staff see everything, organisation
managers their own organisations; anyone else gets 403."""

from django.core.exceptions import PermissionDenied

from members.access import OrgScope, org_scope_for_user


def report_scope_for_user(user) -> OrgScope:
    scope = org_scope_for_user(user)
    if scope.is_empty:
        raise PermissionDenied
    return scope
