from django.urls import path

from experts.views import applications, linking, needs, participation, pickers, public, staff

app_name = "experts"

urlpatterns = [
    # Public
    path("bang/", public.board, name="board"),
    path("bang/digest/stop/<str:token>/", public.digest_stop, name="digest_stop"),
    path("bang/needs/<int:pk>/", public.need_detail, name="need_detail"),
    path("bang/experts/", public.expert_list, name="expert_list"),
    path("bang/experts/<int:pk>/", public.expert_detail, name="expert_detail"),
    path("bang/achievements/", public.achievement_list, name="achievement_list"),
    path("bang/achievements/<int:pk>/", public.achievement_detail, name="achievement_detail"),
    path("bang/workstations/", public.workstation_list, name="workstation_list"),
    path("bang/workstations/<int:pk>/", public.workstation_detail, name="workstation_detail"),
    path("bang/disciplines/suggest/", pickers.discipline_suggest, name="discipline_suggest"),
    # Enterprises
    path("bang/enterprise/start/", needs.enterprise_start, name="enterprise_start"),
    path("bang/enterprise/register/", needs.enterprise_register, name="enterprise_register"),
    path("bang/enterprise/profile/", needs.enterprise_profile, name="enterprise_profile"),
    path("bang/my/needs/", needs.my_needs, name="my_needs"),
    path("bang/needs/new/", needs.need_create, name="need_create"),
    path("bang/needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("bang/needs/<int:pk>/action/", needs.need_action, name="need_action"),
    path("bang/needs/<int:pk>/attachments/", needs.attachment_upload, name="attachment_upload"),
    path("bang/attachments/<int:pk>/", needs.attachment_download, name="attachment_download"),
    path("bang/attachments/<int:pk>/delete/", needs.attachment_delete, name="attachment_delete"),
    path(
        "bang/achievements/<int:pk>/interest/",
        participation.achievement_interest,
        name="achievement_interest",
    ),
    # Experts and enterprises together
    path(
        "bang/needs/<int:pk>/confidentiality/",
        participation.confidentiality,
        name="confidentiality",
    ),
    path("bang/needs/<int:pk>/respond/", participation.response_create, name="response_create"),
    path(
        "bang/responses/<int:pk>/messages/",
        participation.response_message,
        name="response_message",
    ),
    path("bang/responses/<int:pk>/accept/", participation.response_accept, name="response_accept"),
    path("bang/needs/<int:pk>/engagement/", participation.engagement, name="engagement"),
    path(
        "bang/needs/<int:pk>/engagement/log/", participation.engagement_log, name="engagement_log"
    ),
    path(
        "bang/needs/<int:pk>/engagement/resolve/",
        participation.engagement_resolve,
        name="engagement_resolve",
    ),
    path("bang/needs/<int:pk>/rate/", participation.rate, name="rate"),
    path("bang/needs/<int:pk>/rating/reply/", participation.rating_reply, name="rating_reply"),
    path("bang/my/expert/", participation.expert_dashboard, name="expert_dashboard"),
    path("bang/my/expert/apply/", applications.expert_apply, name="expert_apply"),
    path("bang/my/expert/link/", linking.expert_link_start, name="expert_link_start"),
    path("bang/my/expert/link/code/", linking.expert_link_code, name="expert_link_code"),
    path("bang/my/expert/link/confirm/", linking.expert_link_confirm, name="expert_link_confirm"),
    path("bang/my/expert/digest/", participation.expert_digest, name="expert_digest"),
    path("bang/my/expert/profile/", participation.expert_profile, name="expert_profile"),
    path(
        "bang/invitations/<int:pk>/decline/",
        participation.invitation_decline,
        name="invitation_decline",
    ),
    # Staff
    path("bang/staff/", staff.review_queue, name="review_queue"),
    path("bang/staff/needs/", staff.need_list, name="staff_need_list"),
    path("bang/needs/<int:pk>/invite/", staff.invite, name="invite"),
    path("bang/needs/<int:pk>/terms/", staff.need_terms, name="need_terms"),
    path("bang/needs/<int:pk>/synonym/", staff.keyword_synonym, name="keyword_synonym"),
    path("bang/staff/applications/", applications.application_list, name="application_list"),
    path(
        "bang/staff/applications/<int:pk>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "bang/staff/applications/<int:pk>/decide/",
        applications.application_decide,
        name="application_decide",
    ),
    path("bang/staff/interests/", staff.interests, name="interests"),
    path("bang/staff/interests/<int:pk>/", staff.interest_update, name="interest_update"),
]
