"""The 科协帮 in the admin (association staff). A need's status is not edited
here: it changes only through the workflow, on the need's page."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from experts.models import (
    Achievement,
    AchievementInterest,
    ConfidentialityAgreement,
    Discipline,
    Engagement,
    Enterprise,
    Expert,
    ExpertApplication,
    Invitation,
    Keyword,
    NeedAttachment,
    NeedRecommendation,
    NeedTransition,
    Rating,
    RecommendationEvent,
    Response,
    ResponseMessage,
    ServiceLogEntry,
    TechNeed,
    Workstation,
    WorkstationReview,
)
from experts.services import applications, catalogue, matching
from experts.services import needs as need_services
from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.lib.admin_doors import ReadOnlyAdminMixin, ServiceAdminMixin, service_action
from kexie.platform.lib.admin_lists import LargeTableAdminMixin


class WorkflowRecordAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    pass


@admin.register(Discipline)
class DisciplineAdmin(HistoryAdmin):
    list_display = ["code", "name", "group"]
    list_filter = ["group"]
    search_fields = ["code", "name"]


@admin.register(Keyword)
class KeywordAdmin(HistoryAdmin):
    list_display = ["name", "synonyms", "discipline", "is_approved", "created_at"]
    list_filter = ["is_approved", "discipline"]
    list_editable = ["is_approved"]
    search_fields = ["name", "synonyms"]
    autocomplete_fields = ["discipline"]


@admin.register(Enterprise)
class EnterpriseAdmin(HistoryAdmin):
    list_display = ["name", "credit_code", "industry", "town", "size", "verified"]
    list_filter = ["verified", "industry", "size", "town"]
    search_fields = ["name", "credit_code", "contact_name"]
    filter_horizontal = ["users"]
    # Verified only by the action, through the service (staff only, recorded).
    readonly_fields = ["verified"]
    actions = ["mark_verified"]

    mark_verified = service_action(
        description=_("标记为已认证"),
        service=catalogue.enterprise_verify,
        target="enterprise",
        done_message=_("已认证 %(count)s 家企业。"),
    )


@admin.register(Expert)
class ExpertAdmin(ServiceAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "title",
        "organisation",
        "region",
        "availability",
        "is_public",
        "is_active",
    ]
    list_filter = ["title", "region", "availability", "is_public", "is_active"]
    search_fields = ["name", "organisation", "keywords__name"]
    filter_horizontal = ["fields", "keywords"]
    raw_id_fields = ["person", "user"]

    def save_service(self, request, obj, form, change):
        data = form.cleaned_data
        catalogue.expert_save(
            expert=obj,
            name=obj.name,
            title=obj.title,
            organisation=obj.organisation,
            region=obj.region,
            fields=list(data.get("fields", obj.fields.all() if obj.pk else [])),
            keywords=[keyword.name for keyword in data.get("keywords", [])],
            biography=obj.biography,
            availability=obj.availability,
            is_public=obj.is_public,
            user=obj.user,
            person=obj.person,
            contact_email=obj.contact_email,
            contact_phone=obj.contact_phone,
            language=obj.language,
        )
        matching.recommendations_refresh_enqueue()

    def delete_service(self, request, obj):
        catalogue.expert_delete(expert=obj, by=request.user)


class TransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = NeedTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = NeedAttachment
    extra = 0
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("文件"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("experts:attachment_download", args=[obj.pk]), obj
        )


class InvitationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["expert", "invited_by", "created_at", "declined_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TechNeed)
class TechNeedAdmin(LargeTableAdminMixin, WorkflowRecordAdmin):
    """A need is written by its enterprise (``need_update`` allows drafts only) and
    moves through ``experts.workflow``: here staff read it and publish or withdraw
    it through the same services as the review pages."""

    list_display = ["title", "enterprise", "kind", "status", "status_changed_at", "published_at"]
    list_filter = ["status", "kind", "is_anonymous", "fields"]
    search_fields = ["title", "summary", "enterprise__name"]
    date_hierarchy = "created_at"
    list_select_related = ["enterprise"]
    inlines = [TransitionInline, AttachmentInline, InvitationInline]
    actions = ["publish_needs", "withdraw_needs"]

    publish_needs = service_action(
        description=_("发布所选需求（审核通过）"),
        service=need_services.need_publish,
        target="need",
        done_message=_("已发布 %(count)s 条需求。"),
    )
    withdraw_needs = service_action(
        description=_("撤回所选需求"),
        service=need_services.need_withdraw,
        target="need",
        done_message=_("已撤回 %(count)s 条需求。"),
    )


@admin.register(NeedTransition)
class NeedTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["need", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["need__title", "reason"]
    list_select_related = ["need", "by"]


@admin.register(NeedAttachment)
class NeedAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Added and removed by the need's enterprise (``need_attachment_add``/``_delete``)."""

    list_display = ["original_name", "need", "content_type", "size", "uploaded_at"]
    search_fields = ["original_name", "need__title"]
    fields = ["need", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(Invitation)
class InvitationAdmin(WorkflowRecordAdmin):
    list_display = ["need", "expert", "invited_by", "created_at", "declined_at"]
    search_fields = ["need__title", "expert__name"]
    raw_id_fields = ["need", "expert", "invited_by"]


@admin.register(ConfidentialityAgreement)
class ConfidentialityAgreementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What an expert accepted, kept as accepted."""

    list_display = ["need", "expert", "accepted_by", "accepted_at"]
    search_fields = ["need__title", "expert__name"]


@admin.register(NeedRecommendation)
class NeedRecommendationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written by the matching when a need is published (``need_recommendations_refresh``)."""

    list_display = ["need", "rank", "expert", "score", "created_at"]
    search_fields = ["need__title", "expert__name"]
    raw_id_fields = ["need", "expert"]


@admin.register(RecommendationEvent)
class RecommendationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: the rows are copied from the records they follow (``evaluate_matching``)."""

    list_display = ["need", "expert", "kind", "at", "rank", "expert_busy"]
    list_filter = ["kind", "expert_busy"]
    search_fields = ["need__title", "expert__name"]
    raw_id_fields = ["need", "expert"]


class ResponseMessageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ResponseMessage
    extra = 0
    fields = ["author", "body", "created_at"]
    readonly_fields = ["author", "created_at"]


@admin.register(Response)
class ResponseAdmin(WorkflowRecordAdmin):
    list_display = ["need", "expert", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["need__title", "expert__name"]
    raw_id_fields = ["need", "expert", "created_by"]
    inlines = [ResponseMessageInline]


@admin.register(ResponseMessage)
class ResponseMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["response", "author", "created_at"]
    search_fields = ["body", "response__need__title"]
    raw_id_fields = ["response", "author"]


class LogEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ServiceLogEntry
    extra = 0
    fields = ["occurred_on", "kind", "summary", "author"]
    raw_id_fields = ["author"]


@admin.register(Engagement)
class EngagementAdmin(WorkflowRecordAdmin):
    list_display = ["need", "expert", "started_at", "resolved_at"]
    search_fields = ["need__title", "expert__name"]
    raw_id_fields = ["need", "response", "expert"]
    inlines = [LogEntryInline]


@admin.register(ServiceLogEntry)
class ServiceLogEntryAdmin(WorkflowRecordAdmin):
    list_display = ["engagement", "kind", "occurred_on", "author"]
    list_filter = ["kind"]
    raw_id_fields = ["engagement", "author"]


@admin.register(Rating)
class RatingAdmin(WorkflowRecordAdmin):
    list_display = ["engagement", "overall", "timeliness", "expertise", "outcome", "rated_at"]
    list_filter = ["overall"]
    raw_id_fields = ["engagement", "rated_by"]


class InterestInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AchievementInterest
    extra = 0
    fields = ["enterprise", "message", "status", "staff_note"]
    raw_id_fields = ["enterprise"]


@admin.register(Achievement)
class AchievementAdmin(HistoryAdmin):
    list_display = ["title", "institution", "field", "maturity", "terms", "is_published"]
    list_filter = ["maturity", "terms", "is_published", "field"]
    search_fields = ["title", "summary", "institution"]
    raw_id_fields = ["expert"]
    inlines = [InterestInline]


@admin.register(AchievementInterest)
class AchievementInterestAdmin(ServiceAdminMixin, HistoryAdmin):
    list_display = ["achievement", "enterprise", "status", "created_at", "handled_by"]
    list_filter = ["status"]
    search_fields = ["achievement__title", "enterprise__name"]
    raw_id_fields = ["achievement", "enterprise", "user", "handled_by"]
    readonly_fields = ["handled_by"]

    def has_delete_permission(self, request, obj=None):
        # The enterprise's word is kept; staff close it with a status.
        return False

    def save_service(self, request, obj, form, change):
        catalogue.achievement_interest_update(
            interest=obj, by=request.user, status=obj.status, staff_note=obj.staff_note
        )


class ReviewInline(admin.TabularInline):
    model = WorkstationReview
    extra = 0
    raw_id_fields = ["reviewed_by"]


@admin.register(Workstation)
class WorkstationAdmin(HistoryAdmin):
    list_display = ["name", "kind", "host", "established", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "host__name"]
    filter_horizontal = ["experts"]
    inlines = [ReviewInline]


@admin.register(WorkstationReview)
class WorkstationReviewAdmin(HistoryAdmin):
    list_display = ["workstation", "year", "result"]
    list_filter = ["year", "result"]


class ApplicationDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("未通过原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("申请人会看到它，可以修改后再申请。"),
        error_messages={"required": _("请填写未通过的原因，申请人会看到它。")},
    )


@admin.register(ExpertApplication)
class ExpertApplicationAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Applications are read here and decided through the services, as on the
    staff page: approving makes the same expert record; declining asks for the
    reason the applicant reads."""

    list_display = ["name", "title", "organisation", "region", "status", "created_at", "review"]
    list_filter = ["status", "region", "title"]
    search_fields = ["name", "organisation", "user__email", "user__phone"]
    actions = ["approve", "decline"]

    @admin.display(description=_("审核"))
    def review(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("experts:application_detail", args=[obj.pk]), _("审核页")
        )

    approve = service_action(
        description=_("批准入库"),
        service=applications.application_approve,
        target="application",
        done_message=_("已批准 %(count)s 份申请。"),
    )
    decline = service_action(
        description=_("未通过（需填写原因）"),
        service=applications.application_decline,
        target="application",
        done_message=_("已回复 %(count)s 份申请。"),
        form=ApplicationDeclineForm,
        form_title=_("申请未通过"),
    )
