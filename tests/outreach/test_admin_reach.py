"""Audience counts typed in the event's admin page follow the same rules as
``reach_record``: none before the event starts, and the reach is added up."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from outreach.models import Event, ReachEntry
from tests.outreach.conftest import NOW
from tests.outreach.factories import AudienceFactory, EventFactory, RegistrationFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _change_data(event, audience, *, walk_in, online):
    starts, ends = event.starts_at.astimezone(SHANGHAI), event.ends_at.astimezone(SHANGHAI)
    return {
        "title": event.title,
        "kind": event.kind,
        "audiences": [audience.pk],
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M"),
        "capacity": event.capacity,
        "max_party_size": event.max_party_size,
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        "reach_entries-TOTAL_FORMS": 1,
        "reach_entries-INITIAL_FORMS": 0,
        "reach_entries-0-audience": audience.pk,
        "reach_entries-0-walk_in": walk_in,
        "reach_entries-0-online": online,
    }


def test_admin_refuses_audience_counts_before_the_event_starts(staff_client):
    upcoming = EventFactory(starts_at=NOW + timedelta(days=1))
    audience = AudienceFactory()
    url = reverse("admin:outreach_event_change", args=[upcoming.pk])

    response = staff_client.post(
        url, _change_data(upcoming, audience, walk_in=12, online=30), follow=True
    )

    assert "活动开始后才能登记受众人次。" in response.content.decode()
    assert not ReachEntry.objects.exists()


def test_admin_counts_of_a_finished_event_add_up_its_reach(staff_client):
    past = EventFactory(starts_at=NOW - timedelta(days=2), status=Event.Status.FINISHED)
    RegistrationFactory(event=past, party_size=2, status="attended", attended_count=2)
    past.checked_in_count = 2
    past.save(update_fields=["checked_in_count"])
    audience = AudienceFactory()
    url = reverse("admin:outreach_event_change", args=[past.pk])

    response = staff_client.post(url, _change_data(past, audience, walk_in=12, online=30))

    assert response.status_code == 302
    entry = ReachEntry.objects.get(event=past)
    assert (entry.audience, entry.walk_in, entry.online) == (audience, 12, 30)
    past.refresh_from_db()
    assert past.reach_total == 2 + 12 + 30


def test_the_event_page_counts_people_checked_in_at_the_door_before_the_event_is_finished(
    staff_client,
):
    today = EventFactory(starts_at=NOW - timedelta(minutes=30))
    RegistrationFactory(event=today, party_size=3, status="attended", attended_count=3)
    RegistrationFactory(event=today, party_size=2)

    response = staff_client.get(reverse("admin:outreach_event_change", args=[today.pk]))

    html = " ".join(response.content.decode().split())
    assert '<div class="readonly">3</div>' in html.split("field-checked_in_now")[1][:400]
