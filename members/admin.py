"""The members admin: full editing for association staff, row-level scoping for
organisation managers, change history on every model, Excel import and export
for staff."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import XLSX

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.lib.admin_doors import ServiceAdminMixin, calls_service
from kexie.platform.lib.admin_lists import LargeTableAdminMixin
from kexie.platform.lib.listing import list_text
from kexie.platform.lib.spreadsheets import SafeXLSX
from kexie.platform.privacy.exports import LoggedExportMixin
from members import access, services
from members.admin_scoping import OrgScopedAdminMixin
from members.models import (
    Agreement,
    Branch,
    ContestProject,
    Honor,
    JointActivity,
    OrgManager,
    Partner,
    Person,
    Position,
    ProgressUpdate,
    Society,
    Town,
)
from members.resources import (
    BranchResource,
    ContestProjectResource,
    ExcelImportForm,
    HonorResource,
    PersonResource,
    PositionResource,
    SocietyResource,
)
from members.selectors import current_positions_q


class StaffExcelMixin(LoggedExportMixin):
    """Excel only, and only for association staff: exports hold private data,
    and each is logged (``privacy.ExportLog``)."""

    import_formats = [XLSX]
    # Text that Excel would run as a formula is exported as text (issue 18).
    export_formats = [SafeXLSX]
    import_form_class = ExcelImportForm

    def has_import_permission(self, request):
        return request.user.is_association_staff

    def has_export_permission(self, request):
        return request.user.is_association_staff


class ExportAdmin(StaffExcelMixin, ExportMixin, HistoryAdmin):
    pass


class ImportExportAdmin(StaffExcelMixin, ImportExportMixin, HistoryAdmin):
    pass


# Positions, inline in people and organisations


def _save_position(request, position):
    services.position_save(position=position)


class PositionsThroughServiceMixin(ServiceAdminMixin):
    """Each term saved from an inline goes through ``position_save`` (under the
    organisation's lock, so two overlapping terms cannot both pass)."""

    formset_services = {Position: _save_position}


class PositionInlineFormSet(forms.BaseInlineFormSet):
    """Catches two rows of one form that overlap each other, which the
    database check of each row cannot see before either is saved."""

    def clean(self):
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for index, first in enumerate(rows):
            for second in rows[index + 1 :]:
                if _same_single_office(first, second, self.instance) and _terms_overlap(
                    first, second
                ):
                    raise ValidationError(
                        _("同一职务的两段任期重叠：该职务同一时间只能有一人担任。"),
                        code="position_overlap",
                    )


def _owner(row, parent) -> tuple:
    society = row.get("society") or (parent if isinstance(parent, Society) else None)
    branch = row.get("branch") or (parent if isinstance(parent, Branch) else None)
    return (getattr(society, "pk", None), getattr(branch, "pk", None))


def _same_single_office(first, second, parent) -> bool:
    return (
        first.get("role") == second.get("role")
        and first.get("role") in Position.SINGLE_HOLDER_ROLES
        and _owner(first, parent) == _owner(second, parent)
    )


def _terms_overlap(first, second) -> bool:
    if not first.get("start") or not second.get("start"):
        return False
    first_end, second_end = first.get("end"), second.get("end")
    return (first_end is None or first_end >= second["start"]) and (
        second_end is None or second_end >= first["start"]
    )


class PositionInline(OrgScopedAdminMixin, admin.TabularInline):
    model = Position
    formset = PositionInlineFormSet
    extra = 0
    fields = ("person", "society", "branch", "role", "title", "start", "end")
    autocomplete_fields = ("person",)


class PersonPositionInline(PositionInline):
    fields = ("society", "branch", "role", "title", "start", "end")
    autocomplete_fields = ()


class SocietyPositionInline(PositionInline):
    fields = ("person", "role", "title", "start", "end")


class BranchPositionInline(PositionInline):
    fields = ("person", "role", "title", "start", "end")


# Organisations


@admin.register(Town)
class TownAdmin(HistoryAdmin):
    list_display = ("name", "kind", "order", "branch_count")
    list_filter = ("kind",)
    list_editable = ("order",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(branch_total=Count("branches"))

    @admin.display(description=_("基层组织数"), ordering="branch_total")
    def branch_count(self, town):
        return town.branch_total


@admin.register(Society)
class SocietyAdmin(PositionsThroughServiceMixin, OrgScopedAdminMixin, ImportExportAdmin):
    org_society_field = "pk"
    org_branch_field = None
    resource_classes = [SocietyResource]
    list_display = ("name", "discipline", "status", "member_count", "founded")
    list_filter = ("status", "discipline")
    search_fields = ("name", "discipline", "contact_name")
    inlines = [SocietyPositionInline]

    def save_service(self, request, obj, form, change):
        services.society_save(society=obj)


@admin.register(Branch)
class BranchAdmin(PositionsThroughServiceMixin, OrgScopedAdminMixin, ImportExportAdmin):
    org_society_field = None
    org_branch_field = "pk"
    resource_classes = [BranchResource]
    list_display = ("name", "kind", "town", "parent", "founded")
    list_filter = ("kind", "town")
    list_select_related = ("town", "parent")
    search_fields = ("name", "contact_name", "town__name")
    inlines = [BranchPositionInline]

    def save_service(self, request, obj, form, change):
        # Moving a branch locks its line and its new parent's (no cycle under concurrency).
        services.branch_save(branch=obj)

    def get_readonly_fields(self, request, obj=None):
        # A manager may not move the organisation they were given out of
        # their own scope: its parent lies outside it.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.org_scope(request).everything:
            managed = set(
                OrgManager.objects.filter(user=request.user).values_list("branch_id", flat=True)
            )
            if obj.pk in managed:
                readonly += ["parent", "town", "kind"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A manager's new branch goes under one of theirs, never at the top.
        if not self.org_scope(request).everything and "parent" in form.base_fields:
            form.base_fields["parent"].required = True
        return form


@admin.register(OrgManager)
class OrgManagerAdmin(HistoryAdmin):
    list_display = ("user", "society", "branch")
    list_select_related = ("user", "society", "branch")
    search_fields = ("user__name", "user__email", "user__phone", "society__name", "branch__name")
    autocomplete_fields = ("society", "branch")
    raw_id_fields = ("user",)


# People


@admin.register(Person)
class PersonAdmin(
    LargeTableAdminMixin, PositionsThroughServiceMixin, OrgScopedAdminMixin, ImportExportAdmin
):
    org_society_field = ("positions__society",)
    org_branch_field = ("branch", "positions__branch")
    resource_classes = [PersonResource]
    list_display = ("name", "title", "employer", "branch", "phone")
    list_filter = ("gender", "title", "branch__town", "branch__kind")
    list_select_related = ("branch",)
    search_fields = ("name", "phone", "email", "employer", "discipline")
    inlines = [PersonPositionInline]
    raw_id_fields = ("user",)
    fieldsets = (
        (None, {"fields": ("name", "gender", "title", "employer", "discipline", "branch")}),
        (
            _("联系方式（不公开）"),
            {"fields": ("phone", "email", "birth_year", "user")},
        ),
        (_("公开信息"), {"fields": ("biography", "photo")}),
    )

    def save_service(self, request, obj, form, change):
        services.person_save(person=obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not access.can_change_person_branch(self.org_scope(request), obj):
            readonly.append("branch")
        return readonly


class CurrentFilter(admin.SimpleListFilter):
    title = _("任职状态")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("现任")), ("no", _("已离任或未到任"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(current_positions_q())
        if self.value() == "no":
            return queryset.exclude(current_positions_q())
        return queryset


@admin.register(Position)
class PositionAdmin(PositionsThroughServiceMixin, OrgScopedAdminMixin, ExportAdmin):
    resource_classes = [PositionResource]
    list_display = ("person", "society", "branch", "role", "title", "start", "end")
    list_filter = (CurrentFilter, "role", "society", "branch__town", "branch__kind")
    list_select_related = ("person", "society", "branch")
    search_fields = ("person__name", "society__name", "branch__name", "title")
    autocomplete_fields = ("person",)
    date_hierarchy = "start"

    def save_service(self, request, obj, form, change):
        services.position_save(position=obj)


# Honours


@admin.register(Honor)
class HonorAdmin(OrgScopedAdminMixin, ExportAdmin):
    resource_classes = [HonorResource]
    list_display = ("year", "level", "name", "recipient_name", "granted_by")
    list_filter = ("level", "year")
    list_select_related = ("person", "society", "branch")
    search_fields = ("name", "person__name", "society__name", "branch__name", "granted_by")
    autocomplete_fields = ("person", "society", "branch")

    @admin.display(description=_("获得者"))
    def recipient_name(self, honor):
        return honor.recipient


# Partners


class AgreementInline(admin.StackedInline):
    model = Agreement
    extra = 0
    filter_horizontal = ("branches",)


class JointActivityInline(admin.TabularInline):
    model = JointActivity
    extra = 0
    fields = ("title", "date", "agreement", "place", "summary")


@admin.register(Partner)
class PartnerAdmin(ExportAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "region", "since", "agreement_count")
    list_filter = ("kind", "region")
    search_fields = ("name", "description")
    inlines = [AgreementInline, JointActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(agreement_total=Count("agreements"))

    @admin.display(description=_("协议数"), ordering="agreement_total")
    def agreement_count(self, partner):
        return partner.agreement_total


@admin.register(Agreement)
class AgreementAdmin(ExportAdmin):
    list_display = ("title", "partner", "signed", "start", "end")
    list_filter = ("partner__region", "partner")
    list_select_related = ("partner",)
    search_fields = ("title", "partner__name", "content")
    filter_horizontal = ("branches",)
    date_hierarchy = "signed"


@admin.register(JointActivity)
class JointActivityAdmin(ExportAdmin):
    list_display = ("title", "partner", "date", "place")
    list_filter = ("partner__region", "partner")
    list_select_related = ("partner",)
    search_fields = ("title", "partner__name", "summary")
    date_hierarchy = "date"


# The contest


class ProgressUpdateInline(OrgScopedAdminMixin, admin.TabularInline):
    model = ProgressUpdate
    org_society_field = "project__society"
    org_branch_field = "project__branches"
    extra = 1
    fields = ("date", "text")


@admin.register(ContestProject)
class ContestProjectAdmin(ServiceAdminMixin, OrgScopedAdminMixin, ExportAdmin):
    org_society_field = "society"
    org_branch_field = ("branches",)
    # Any branch may partner a society's project (the directory is public).
    org_open_choices = ("branches",)
    resource_classes = [ContestProjectResource]
    list_display = ("year", "title", "society", "domain", "score", "rank")
    list_filter = ("year", "domain", "society")
    list_select_related = ("society",)
    search_fields = ("title", "society__name", "goal")
    filter_horizontal = ("branches",)
    inlines = [ProgressUpdateInline]
    actions = ["rank_years"]
    formset_services = {
        ProgressUpdate: lambda request, update: services.contest_progress_save(update=update)
    }

    def save_service(self, request, obj, form, change):
        services.contest_project_save(project=obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and access.can_enter_contest_project(
            self.org_scope(request)
        )

    def get_readonly_fields(self, request, obj=None):
        # Scores and ranks are the association's verdict, not the society's.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_association_staff:
            readonly += ["score", "rank"]
        if obj is not None and not access.can_choose_contest_lead_and_partners(
            self.org_scope(request), obj
        ):
            readonly += ["society", "branches"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "branches":
            kwargs["queryset"] = Branch.objects.order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_association_staff:
            actions.pop("rank_years", None)
        return actions

    @admin.action(description=_("按得分为所选项目所在年度排名"))
    @calls_service(services.contest_year_rank)
    def rank_years(self, request, queryset):
        years = sorted(set(queryset.values_list("year", flat=True)))
        for year in years:
            services.contest_year_rank(year=year)
        self.message_user(
            request,
            ngettext(
                "已为 %(years)s 年度的项目重新排名。",
                "已为 %(years)s 年度的项目重新排名。",
                len(years),
            )
            % {"years": list_text(years)},
            messages.SUCCESS,
        )
