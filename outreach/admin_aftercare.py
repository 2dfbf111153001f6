"""Admin of what follows an event: the feedback surveys staff edit, and the
certificates they may revoke (through the service, with a reason)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
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

    @admin.action(description=_("撤销所选证书（原因：核查不符）"))
    def revoke(self, request, queryset):
        done = 0
        for certificate in queryset:
            try:
                certificate_revoke(certificate=certificate, by=request.user, reason=_("核查不符"))
            except ValidationError as exc:
                self.message_user(request, f"{certificate}: {exc.messages[0]}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("已撤销%(n)s份证书。") % {"n": done}, messages.SUCCESS)
