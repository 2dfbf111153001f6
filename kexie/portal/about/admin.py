"""The profile in the admin: one record, saved by ``profile_save``; its
departments, inline, by ``department_save``. The list opens the record."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.lib.admin_doors import ServiceAdminMixin
from kexie.portal.about import services
from kexie.portal.about.models import PROFILE_ID, Department, Profile
from kexie.portal.content.widgets import RichTextWidget


class ProfileAdminForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "introduction",
            "address",
            "postcode",
            "telephone",
            "fax",
            "email",
            "office_hours",
            "icp_number",
            "psb_number",
        ]
        widgets = {"introduction": RichTextWidget(attrs={"rows": 12})}


class DepartmentInline(admin.TabularInline):
    model = Department
    fields = ["name", "duties", "telephone", "order"]
    extra = 1


def _save_department(request, department):
    services.department_save(department=department, by=request.user)


def _delete_department(request, department):
    services.department_delete(department=department, by=request.user)


@admin.register(Profile)
class ProfileAdmin(ServiceAdminMixin, HistoryAdmin):
    form = ProfileAdminForm
    inlines = [DepartmentInline]
    formset_services = {Department: _save_department}
    formset_delete_services = {Department: _delete_department}
    fieldsets = [
        (None, {"fields": ["introduction"]}),
        (
            _("联系方式"),
            {"fields": ["address", "postcode", "telephone", "fax", "email", "office_hours"]},
        ),
        (_("备案信息"), {"fields": ["icp_number", "psb_number"]}),
    ]

    def save_service(self, request, obj, form, change):
        services.profile_save(profile=obj, by=request.user)

    def view_on_site(self, obj):
        return reverse("about:page")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Profile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        # The association always has a profile; staff empty a field instead.
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one record: the list opens it (or the form to create it)."""
        if request.method == "GET" and self.has_view_or_change_permission(request):
            if Profile.objects.filter(pk=PROFILE_ID).exists():
                return HttpResponseRedirect(
                    reverse("admin:about_profile_change", args=[PROFILE_ID])
                )
            if self.has_add_permission(request):
                return HttpResponseRedirect(reverse("admin:about_profile_add"))
        return super().changelist_view(request, extra_context)
