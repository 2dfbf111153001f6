"""Admin of what follows an event: the feedback surveys staff edit, and the
certificates they may revoke (through the service, with a reason)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from outreach.models import Certificate, Survey, SurveyQuestion
from outreach.services.certificates import certificate_revoke


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 1
    fields = ["order", "text", "kind", "topic", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "updated_at"]
    fields = ["kind", "title", "intro"]
    inlines = [SurveyQuestionInline]

    def has_delete_permission(self, request, obj=None):
        # Answers refer to their survey; a kind without one gets the standard questions.
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "masked_holder", "event_title", "hours", "issued_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["number", "registration__event__title"]
    readonly_fields = [
        "number",
        "holder_name",
        "people",
        "hours",
        "issued_at",
        "revoked_at",
        "revoke_reason",
        "revoked_by",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("持有人"))
    def masked_holder(self, obj):
        return obj.masked_name

    @admin.display(description=_("活动"))
    def event_title(self, obj):
        return obj.registration.event.title

    @admin.action(description=_("撤销所选证书（需填写原因）"))
    def revoke(self, request, queryset):
        """Asks for the reason on a page of its own, then revokes each
        certificate through the service."""
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for certificate in queryset:
                try:
                    certificate_revoke(
                        certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    self.message_user(
                        request, f"{certificate}: {exc.messages[0]}", messages.WARNING
                    )
                else:
                    done += 1
            self.message_user(request, _("已撤销%(n)s份证书。") % {"n": done}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/outreach/certificate/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("撤销参加证明"),
                "opts": self.model._meta,
                "certificates": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=200,
        error_messages={"required": _("请填写撤销原因。")},
        help_text=_("会显示在公开的证明验证页上，请勿写入姓名、电话等个人信息。"),
        widget=forms.TextInput(attrs={"size": 60}),
    )
