"""Admin of what follows an event: the feedback surveys staff edit, and the
certificates they may revoke (through the service, with a reason)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.lib.admin_doors import ReadOnlyAdminMixin, ServiceAdminMixin, service_action
from outreach.models import Certificate, Survey, SurveyQuestion
from outreach.services.certificates import certificate_revoke
from outreach.services.feedback import survey_question_delete


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 1
    fields = ["order", "text", "kind", "topic", "required"]


@admin.register(Survey)
class SurveyAdmin(ServiceAdminMixin, HistoryAdmin):
    list_display = ["kind", "title", "updated_at"]
    fields = ["kind", "title", "intro"]
    inlines = [SurveyQuestionInline]
    # An answered question is kept: its answers count in the feedback reports.
    formset_delete_services = {
        SurveyQuestion: lambda request, question: survey_question_delete(
            question=question, by=request.user
        )
    }

    def has_delete_permission(self, request, obj=None):
        # Answers refer to their survey; a kind without one gets the standard questions.
        return False


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=200,
        help_text=_("核查页会说明证书已撤销，并显示这里填写的原因：请勿写入姓名、电话等个人信息。"),
        error_messages={"required": _("请填写撤销原因。")},
    )


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "masked_holder", "event_title", "hours", "issued_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["number", "registration__event__title"]
    fields = [
        "number",
        "holder_name",
        "people",
        "hours",
        "issued_at",
        "revoked_at",
        "revoke_reason",
        "revoked_by",
    ]
    actions = ["revoke"]

    @admin.display(description=_("持有人"))
    def masked_holder(self, obj):
        return obj.masked_name

    @admin.display(description=_("活动"))
    def event_title(self, obj):
        return obj.registration.event.title

    revoke = service_action(
        description=_("撤销所选证书"),
        service=certificate_revoke,
        target="certificate",
        done_message=_("已撤销%(count)s份证书。"),
        form=RevokeForm,
        form_title=_("撤销证书"),
    )
