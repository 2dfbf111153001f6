"""Row-level scoping of the admin for organisation managers.

A ModelAdmin (or inline) that mixes in ``OrgScopedAdminMixin`` shows an
organisation manager only the rows of the organisations they manage (see
``members.access``), answers 404 for the others by URL (change, delete and
history pages), and offers only in-scope rows in its foreign-key and
many-to-many choices. Association staff see everything.

``org_society_field`` and ``org_branch_field`` are lookup paths from the model
to its owning society and branch (``None`` when there is none). Either may be
a tuple of paths when a record belongs through several relations, e.g. a
person through their branch and through the positions they hold.
"""

from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from members.access import lookup_paths, org_scope_for_user
from members.models import Branch, Society


class OrgScopedAdminMixin:
    #: Path(s) from the model to its owning society, or None.
    org_society_field: str | tuple[str, ...] | None = "society"
    #: Path(s) from the model to its owning branch, or None.
    org_branch_field: str | tuple[str, ...] | None = "branch"
    #: Many-to-many fields whose choices are the whole directory whatever the
    #: manager's scope (a project's partner branches): a list cut to the scope
    #: would drop the rows outside it on every save.
    org_open_choices: tuple[str, ...] = ()

    def org_scope(self, request):
        if not hasattr(request, "_org_scope"):
            request._org_scope = org_scope_for_user(request.user)
        return request._org_scope

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = self.org_scope(request)
        if scope.everything:
            return queryset
        condition = scope.q(
            society_field=self.org_society_field, branch_field=self.org_branch_field
        )
        if self._scoped_through_relations():
            # A path through a to-many relation can match a row several times.
            return queryset.filter(pk__in=queryset.model._default_manager.filter(condition))
        return queryset.filter(condition)

    def _scoped_through_relations(self) -> bool:
        return any(
            "__" in path
            for path in (
                *lookup_paths(self.org_society_field),
                *lookup_paths(self.org_branch_field),
            )
        )

    # Per-object permissions. An inline is asked about its *parent* object,
    # which the parent's own admin has already checked.

    def _in_scope(self, request, obj) -> bool:
        if obj is None or isinstance(self, InlineModelAdmin):
            return True
        if self.org_scope(request).everything:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    # URLs of an out-of-scope row answer 404, as if the row did not exist.

    def _require_in_scope(self, request, object_id) -> None:
        if object_id is None or self.org_scope(request).everything:
            return
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting an old version (django-simple-history) is a change.
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Choices: only in-scope societies, branches and other scoped records.

    def _scoped_choices(self, request, model):
        scope = self.org_scope(request)
        if scope.everything:
            return None
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, OrgScopedAdminMixin):
            return related_admin.get_queryset(request)
        if model is Society:
            return Society.objects.filter(pk__in=scope.society_ids)
        if model is Branch:
            return Branch.objects.filter(pk__in=scope.branch_ids)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self._scoped_choices(request, db_field.remote_field.model)
        if db_field.name in self.raw_id_fields and not self.org_scope(request).everything:
            if queryset is None:
                # A record outside the organisations (an account): only the
                # ones already linked from rows this manager may see.
                linked = self.get_queryset(request).exclude(**{f"{db_field.name}__isnull": True})
                queryset = db_field.remote_field.model._default_manager.filter(
                    pk__in=linked.values(db_field.name)
                )
            # Django's raw-id widget labels any id typed in with that row's
            # name, looked up unscoped: label only what the manager may choose.
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, queryset=queryset, using=kwargs.get("using")
            )
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name not in self.org_open_choices:
            queryset = self._scoped_choices(request, db_field.remote_field.model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # A manager's new or edited row must stay inside their scope: leaving
    # both the society and the branch empty would hide it from them and
    # leave it owned by no one.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        scope = self.org_scope(request)
        direct = [
            path
            for path in (
                *lookup_paths(self.org_society_field),
                *lookup_paths(self.org_branch_field),
            )
            if "__" not in path and path != "pk"
        ]
        if scope.everything or not direct or self._scoped_through_relations():
            return form
        return _owner_required_form(form, direct)


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id input whose label (the name shown beside the id) is looked up
    in ``queryset`` only: an id outside it shows no name."""

    def __init__(self, rel, admin_site, *, queryset, attrs=None, using=None):
        self.queryset = queryset
        super().__init__(rel, admin_site, attrs, using)

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            self.queryset.get(**{key: value})
        except (ValueError, TypeError, self.queryset.model.DoesNotExist, ValidationError):
            return "", ""
        return super().label_and_url_for_value(value)


def _owner_required_form(form_class, fields):
    class OwnerRequiredForm(form_class):
        def clean(self):
            cleaned = super().clean()
            present = [name for name in fields if name in self.fields]
            if present and not any(cleaned.get(name) for name in present):
                raise ValidationError(
                    _("请选择您管理的组织，否则保存后您将无法再看到这条记录。"),
                    code="owner_required",
                )
            return cleaned

    OwnerRequiredForm.__name__ = form_class.__name__
    return OwnerRequiredForm
