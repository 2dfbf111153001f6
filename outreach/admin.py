from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.lib.admin_doors import ReadOnlyAdminMixin, ServiceAdminMixin, service_action
from kexie.platform.lib.admin_lists import LargeTableAdminMixin
from members.admin_scoping import OrgScopedAdminMixin
from outreach.forms import DeclineForm, LectureAcceptForm
from outreach.models import (
    Audience,
    Campaign,
    Event,
    EventRecap,
    EventRecapPhoto,
    EventSession,
    LectureRequest,
    LectureTopic,
    ReachEntry,
    Registration,
    SpeakerTeam,
    Venue,
    VenuePhoto,
)
from outreach.selectors import registration_counts
from outreach.services.events import (
    event_cancel,
    event_delete,
    event_finish,
    event_publish,
    event_save,
    event_sync_sessions,
    reach_delete,
    reach_record,
)
from outreach.services.recaps import recap_photo_save, recap_save
from outreach.services.registrations import registration_cancel, seats_taken
from outreach.services.speakers import lecture_request_accept, lecture_request_decline


class VenuePhotoInline(admin.TabularInline):
    model = VenuePhoto
    extra = 0
    autocomplete_fields = ["picture"]


@admin.register(Venue)
class VenueAdmin(HistoryAdmin):
    list_display = ["name", "kind", "level", "status", "town", "bookable"]
    list_filter = ["kind", "level", "status", "town", "bookable"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["picture"]
    inlines = [VenuePhotoInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "level", "status", "town", "picture", "description"]}),
        (
            _("位置与到达"),
            {"fields": ["address", "latitude", "longitude", "directions", "opening_hours"]},
        ),
        (
            _("接待"),
            {
                "fields": [
                    "capacity",
                    "accessibility",
                    "contact_name",
                    "contact_phone",
                    "bookable",
                ]
            },
        ),
    ]


class EventRecapPhotoInline(admin.TabularInline):
    model = EventRecapPhoto
    extra = 1
    autocomplete_fields = ["picture"]


@admin.register(EventRecap)
class EventRecapAdmin(ServiceAdminMixin, OrgScopedAdminMixin, HistoryAdmin):
    org_society_field = "event__society"
    org_branch_field = "event__branch"
    list_display = ["event", "updated_at", "updated_by"]
    search_fields = ["event__title"]
    autocomplete_fields = ["event"]
    inlines = [EventRecapPhotoInline]
    formset_services = {
        EventRecapPhoto: lambda request, photo: recap_photo_save(photo=photo),
    }

    def save_service(self, request, obj, form, change):
        recap_save(recap=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # A recap is emptied, not deleted: its event's page shows what is left.
        return False


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    list_display = ["name", "start_year", "end_year", "order"]
    search_fields = ["name"]


@admin.register(Audience)
class AudienceAdmin(HistoryAdmin):
    list_display = ["name", "code", "order"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventSessionInline(admin.TabularInline):
    model = EventSession
    extra = 0


class ReachEntryInline(admin.TabularInline):
    model = ReachEntry
    extra = 0


def _record_reach(request, entry: ReachEntry) -> None:
    """A row of the audience counts, through ``reach_record`` like the staff
    pages: refused before the event starts, and the reach added up again."""
    if entry.pk:
        stored = ReachEntry.objects.get(pk=entry.pk)
        if stored.audience_id != entry.audience_id:
            # A row moved to another group becomes that group's count.
            reach_delete(entry=stored, by=request.user)
    reach_record(
        event=entry.event,
        audience=entry.audience,
        walk_in=entry.walk_in,
        online=entry.online,
        by=request.user,
    )


class EventAdminForm(forms.ModelForm):
    #: Set by EventAdmin for organisation managers, whose events need an organiser.
    require_organiser = False

    online_url = forms.URLField(label=_("线上链接"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "campaign",
            "audiences",
            "society",
            "branch",
            "venue",
            "online_url",
            "poster",
            "cover",
            "speakers",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "capacity",
            "max_party_size",
            "signup_opens_at",
            "signup_closes_at",
            "signup_needs_code",
            "min_age",
            "max_age",
            "gives_certificate",
            "certificate_hours",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.require_organiser and not (cleaned.get("society") or cleaned.get("branch")):
            raise ValidationError(_("请选择主办的学会或基层组织。"))
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            taken = seats_taken(event_id=self.instance.pk)
            if capacity < taken:
                self.add_error(
                    "capacity",
                    gettext("名额不能少于已确认的%(count)s人。") % {"count": taken},
                )
        return cleaned


@admin.register(Event)
class EventAdmin(LargeTableAdminMixin, ServiceAdminMixin, OrgScopedAdminMixin, HistoryAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "starts_at",
        "kind",
        "status",
        "organiser_name",
        "venue",
        "seats",
        "reach_total",
        "links",
    ]
    list_filter = ["status", "kind", "campaign", "audiences", "venue__town"]
    # What the cells and the row's text (its title) read: not the description,
    # the sign-up window, nor the venue's, society's and branch's other columns.
    list_columns = (
        "title",
        "starts_at",
        "kind",
        "status",
        "capacity",
        "seats_held",
        "reach_total",
        "society__name",
        "branch__name",
        "venue__name",
    )
    search_fields = ["title", "speakers"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["audiences"]
    autocomplete_fields = ["poster", "cover"]
    # The status changes only through the actions below (``outreach.workflow.EVENTS``).
    readonly_fields = [
        "status",
        "cancel_reason",
        "schedule_version",
        "checked_in_now",
        "reach_total",
    ]
    inlines = [EventSessionInline, ReachEntryInline]
    formset_services = {ReachEntry: _record_reach}
    formset_delete_services = {
        ReachEntry: lambda request, entry: reach_delete(entry=entry, by=request.user)
    }
    actions = ["publish_events", "cancel_events", "finish_events"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "status", "cancel_reason", "campaign", "audiences"]}),
        (_("主办与地点"), {"fields": ["society", "branch", "venue", "online_url", "speakers"]}),
        (_("介绍"), {"fields": ["summary", "description", "poster", "cover"]}),
        (_("时间"), {"fields": ["starts_at", "ends_at", "schedule_version"]}),
        (
            _("报名"),
            {
                "fields": [
                    "capacity",
                    "max_party_size",
                    "signup_opens_at",
                    "signup_closes_at",
                    "signup_needs_code",
                    "min_age",
                    "max_age",
                ]
            },
        ),
        (_("受众"), {"fields": ["checked_in_now", "reach_total"]}),
        (_("参加证明"), {"fields": ["gives_certificate", "certificate_hours"]}),
    ]

    def get_queryset(self, request):
        # The seats taken are the event's own counter (``seats_held``, what
        # ``selectors.with_seats`` reads too); nothing here shows the waiting list.
        return super().get_queryset(request).select_related("venue", "society", "branch")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.require_organiser = not self.org_scope(request).everything
        return form

    @admin.display(description=_("主办方"))
    def organiser_name(self, obj):
        return obj.organiser or "—"

    @admin.display(description=_("签到人数"))
    def checked_in_now(self, obj):
        # Stored when the event is finished; until then, the people checked in
        # at the door so far, as the check-in page counts them.
        if obj.pk is None:
            return 0
        if obj.status == Event.Status.FINISHED:
            return obj.checked_in_count
        return registration_counts(event=obj)["present"]

    @admin.display(description=_("报名/名额"))
    def seats(self, obj):
        if obj.capacity is None:
            return gettext("无需报名")
        return f"{obj.seats_held}/{obj.capacity}"

    @admin.display(description=_("报名管理"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("outreach:staff_event_registrations", args=[obj.pk]),
            gettext("报名名单"),
            reverse("outreach:staff_check_in", args=[obj.pk]),
            gettext("签到"),
        )

    def save_service(self, request, obj, form, change):
        event_save(event=obj, by=request.user)

    def delete_service(self, request, obj):
        event_delete(event=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event_sync_sessions(event=form.instance, by=request.user)

    publish_events = service_action(
        description=_("发布所选活动"),
        service=event_publish,
        target="event",
        done_message=_("已发布 %(count)s 个活动。"),
    )
    cancel_events = service_action(
        description=_("取消所选活动（通知已报名者）"),
        service=event_cancel,
        target="event",
        done_message=_("已取消 %(count)s 个活动。"),
    )
    finish_events = service_action(
        description=_("结束所选活动并统计受众"),
        service=event_finish,
        target="event",
        done_message=_("已结束 %(count)s 个活动。"),
    )


@admin.register(Registration)
class RegistrationAdmin(LargeTableAdminMixin, OrgScopedAdminMixin, HistoryAdmin):
    org_society_field = "event__society"
    org_branch_field = "event__branch"
    list_display = ["name", "masked_phone", "event", "party_size", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "phone", "event__title"]
    list_select_related = ["event"]
    fields = [
        "event",
        "name",
        "phone",
        "email",
        "party_size",
        "status",
        "attended_count",
        "created_at",
        "checked_in_at",
        "cancelled_at",
        "promoted_at",
    ]
    # Seats and statuses change only through the services (sign-up, cancel,
    # check-in), which keep the event from being overbooked.
    readonly_fields = [
        "event",
        "phone",
        "party_size",
        "status",
        "attended_count",
        "created_at",
        "checked_in_at",
        "cancelled_at",
        "promoted_at",
    ]
    actions = ["cancel_registrations"]

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return obj.masked_phone

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    cancel_registrations = service_action(
        description=_("取消所选报名（候补依次转正）"),
        service=partial(registration_cancel, by_registrant=False),
        target="registration",
        done_message=_("已取消 %(count)s 个报名。"),
    )


class LectureTopicInline(admin.StackedInline):
    model = LectureTopic
    extra = 0
    filter_horizontal = ["audiences"]


@admin.register(SpeakerTeam)
class SpeakerTeamAdmin(OrgScopedAdminMixin, HistoryAdmin):
    list_display = ["name", "society", "branch", "accepts_requests"]
    filter_horizontal = ["members"]
    inlines = [LectureTopicInline]


@admin.register(LectureRequest)
class LectureRequestAdmin(ReadOnlyAdminMixin, OrgScopedAdminMixin, HistoryAdmin):
    """A request is the requester's words: staff read it and its history, and
    answer it by the actions below or on the staff page."""

    org_society_field = "team__society"
    org_branch_field = "team__branch"
    list_display = [
        "organisation",
        "team",
        "topic_title",
        "preferred_date",
        "audience",
        "status",
        "decide_link",
    ]
    list_filter = ["status", "team"]
    list_select_related = ["team", "topic", "audience"]
    # Answered through the same services as the staff page, after a form asking
    # for the time (accept) or the reason the requester will read (decline).
    actions = ["accept_requests", "decline_requests"]

    accept_requests = service_action(
        description=_("受理所选申请（创建讲座活动）"),
        service=lecture_request_accept,
        target="request",
        done_message=_("已受理 %(count)s 个申请，活动已创建，申请单位会收到通知。"),
        form=LectureAcceptForm,
        form_title=_("受理讲座申请"),
    )
    decline_requests = service_action(
        description=_("回复所选申请：未能安排"),
        service=lecture_request_decline,
        target="request",
        done_message=_("已回复 %(count)s 个申请。"),
        form=DeclineForm,
        form_title=_("回复：未能安排"),
    )

    @admin.display(description=_("讲座题目"))
    def topic_title(self, obj):
        return obj.topic_title

    @admin.display(description=_("处理"))
    def decide_link(self, obj):
        if obj.status != LectureRequest.Status.SUBMITTED:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("outreach:staff_lecture_request", args=[obj.pk]),
            gettext("受理或回复"),
        )


# Feedback surveys (and, later, certificates) live in their own module.
from outreach import admin_aftercare  # noqa: E402, F401
