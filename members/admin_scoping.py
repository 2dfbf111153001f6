"""Row-level scoping of the admin for organisation managers.

A ModelAdmin that mixes in ``OrgScopedAdminMixin`` shows an organisation
manager only the rows of the organisations they manage (see
``members.access``), refuses the others by URL (the admin answers as if they did
not exist), and offers only their organisations in the society and branch
choices. Association staff see everything.
"""

from members.access import org_scope_for_user
from members.models import Branch, Society


class OrgScopedAdminMixin:
    #: Path from the model to its owning society, or None.
    org_society_field: str | None = "society"
    #: Path from the model to its owning branch, or None.
    org_branch_field: str | None = "branch"

    def org_scope(self, request):
        if not hasattr(request, "_org_scope"):
            request._org_scope = org_scope_for_user(request.user)
        return request._org_scope

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = self.org_scope(request)
        return (
            queryset.filter(
                scope.q(society_field=self.org_society_field, branch_field=self.org_branch_field)
            ).distinct()
            if not scope.everything
            else queryset
        )

    def _in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = self.org_scope(request)
        if not scope.everything:
            if db_field.remote_field.model is Society:
                kwargs["queryset"] = Society.objects.filter(pk__in=scope.society_ids)
            elif db_field.remote_field.model is Branch:
                kwargs["queryset"] = Branch.objects.filter(pk__in=scope.branch_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
