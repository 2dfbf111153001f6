"""Issue 18, finding 9: values that parse in Python but overflow or are not
ASCII digits were 500s. Dates are bounded (1900–2100) in every date filter and
form, ids from a form are ASCII digits in a column's range, and calendar text
has its line breaks escaped. (``tests/sweeps/test_bad_input_sweep.py`` sends
such values to every URL.)
"""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    ],
)
def test_event_list_with_a_date_out_of_range_says_so_instead_of_a_500(visitor, event, query):
    response = visitor.get(reverse("outreach:event_list"), query)
    assert response.status_code == 200
    assert "日期须在 1900-01-01 到 2100-12-31 之间。" in response.content.decode()
    # The out-of-range bound is left out: the event is still listed.
    assert event.title in response.content.decode()


def test_event_list_with_dates_in_range_still_filters(visitor, event):
    response = visitor.get(reverse("outreach:event_list"), {"date_to": "2000-01-01"})
    assert response.status_code == 200
    assert event.title not in response.content.decode()


@pytest.mark.parametrize("registration", ["²", "١", "1²", " 1 2", "99999999999999999999", "-1"])
def test_check_in_with_a_registration_id_that_is_not_ascii_digits_is_404(
    staff_client, event, registration
):
    staff_client.raise_request_exception = False
    RegistrationFactory(event=event, party_size=2)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    response = staff_client.post(url, {"registration": registration, "count": 1})
    assert response.status_code == 404


def test_check_in_search_by_four_digits_of_another_script_matches_no_phone(staff_client, event):
    RegistrationFactory(event=event, name="王小明", phone="13912345678")
    url = reverse("outreach:staff_check_in", args=[event.pk])
    response = staff_client.get(url, {"q": "⁵⁶⁷⁸"})
    assert (response.status_code, response.context["results"]) == (200, [])


@pytest.mark.parametrize(
    "title", ["第一行\r\n第二行", "第一行\r第二行", "第一行\n第二行", "甲\x0b乙"]
)
def test_event_title_with_a_line_break_makes_a_valid_calendar_file(visitor, title):
    event = EventFactory(title=title, summary=title)
    response = visitor.get(reverse("outreach:event_ics", args=[event.pk]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    summary = str(next(iter(calendar.walk("VEVENT")))["SUMMARY"])
    assert summary in ("第一行 第二行", "甲 乙")


def test_lecture_request_with_a_preferred_date_out_of_range_is_refused(visitor, db):
    from tests.outreach.factories import SpeakerTeamFactory

    team = SpeakerTeamFactory()
    url = reverse("outreach:speaker_team_detail", args=[team.pk])
    response = visitor.post(url, {"preferred_date": "9999-12-31", "contact_name": "李老师"})
    assert response.status_code in (200, 400)
    assert "日期须在 1900-01-01 到 2100-12-31 之间。" in response.content.decode()
