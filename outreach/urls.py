from django.urls import path

from outreach.views import certificates, public, recover, speakers, staff

app_name = "outreach"

urlpatterns = [
    path("events/", public.event_list, name="event_list"),
    path("events/calendar/", public.event_calendar, name="event_calendar"),
    path("events/feed.ics", public.events_feed, name="events_feed"),
    path("events/campaigns/<int:pk>/feed.ics", public.campaign_feed, name="campaign_feed"),
    path("events/<int:pk>/", public.event_detail, name="event_detail"),
    path("events/<int:pk>/event.ics", public.event_ics, name="event_ics"),
    path("events/r/<str:code>/", public.registration_manage, name="registration_manage"),
    path("events/r/<str:code>/qr.svg", public.registration_qr, name="registration_qr"),
    path("events/r/<str:code>/event.ics", public.registration_ics, name="registration_ics"),
    path(
        "events/r/<str:code>/cancel/",
        public.registration_cancel_by_registrant,
        name="registration_cancel",
    ),
    path("events/find/", recover.recover_start, name="recover_start"),
    path("events/find/code/", recover.recover_code, name="recover_code"),
    path("events/find/mine/", recover.recover_list, name="recover_list"),
    path("events/feedback/<str:token>/", public.feedback, name="feedback"),
    path("events/r/<str:code>/certificate/", certificates.certificate, name="certificate"),
    path(
        "events/r/<str:code>/certificate.pdf",
        certificates.certificate_download,
        name="certificate_pdf",
    ),
    path(
        "certificates/<str:check_code>/",
        certificates.certificate_check,
        name="certificate_check",
    ),
    path("events/speakers/", speakers.speaker_team_list, name="speaker_team_list"),
    path("events/speakers/<int:pk>/", speakers.speaker_team_detail, name="speaker_team_detail"),
    path(
        "events/lecture-requests/<str:code>/",
        speakers.lecture_request_status,
        name="lecture_request_status",
    ),
    path("venues/", public.venue_list, name="venue_list"),
    path("venues/<int:pk>/", public.venue_detail, name="venue_detail"),
    path(
        "staff/events/<int:pk>/registrations/",
        staff.event_registrations,
        name="staff_event_registrations",
    ),
    path(
        "staff/events/<int:pk>/registrations.xlsx",
        staff.registrations_xlsx,
        name="staff_registrations_xlsx",
    ),
    path(
        "staff/events/<int:pk>/registrations/<int:registration_pk>/cancel/",
        staff.registration_cancel_by_staff,
        name="staff_registration_cancel",
    ),
    path("staff/events/<int:pk>/check-in/", staff.check_in, name="staff_check_in"),
    path(
        "staff/events/<int:pk>/check-in/counts/",
        staff.check_in_counts,
        name="staff_check_in_counts",
    ),
    path("staff/lecture-requests/", staff.lecture_requests, name="staff_lecture_requests"),
    path(
        "staff/lecture-requests/<int:pk>/",
        staff.lecture_request_decide,
        name="staff_lecture_request",
    ),
]
