"""Finding an event on a phone: quick choices (this weekend, this month, for
children, near a town) as links, the full filters folded away, and the month
as a list by day. "This weekend" is Saturday and Sunday in Pinghu's time
(Asia/Shanghai), whatever the server's clock says in UTC."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from outreach.models import Audience, Event
from outreach.selectors import period_bounds
from outreach.views.public import _toggled
from tests.factories import TownFactory
from tests.helpers import card_titles
from tests.outreach.factories import AudienceFactory, EventFactory, VenueFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
LIST = "/events/"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of June 2026 in Pinghu (1 June is a Monday)."""
    return datetime(2026, 6, day, hour, minute, tzinfo=SH)


def _titles(response) -> list[str]:
    return card_titles(response.context["cards"])


def _event(title, starts_at, **fields) -> Event:
    fields.setdefault("ends_at", starts_at + timedelta(hours=1))
    return EventFactory(title=title, starts_at=starts_at, **fields)


# --- "this weekend" and "this month" in Asia/Shanghai


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        # Monday morning: the coming Saturday and Sunday.
        (at(1, 10), at(6, 0), at(8, 0)),
        # Friday 23:30 in Pinghu is still Friday (15:30 UTC): the weekend is tomorrow.
        (at(5, 23, 30), at(6, 0), at(8, 0)),
        # Saturday noon: from now to the end of Sunday.
        (at(6, 12), at(6, 12), at(8, 0)),
        # Sunday evening: what is left of Sunday.
        (at(7, 20), at(7, 20), at(8, 0)),
        # Monday 00:30 in Pinghu is Sunday 16:30 in UTC: the weekend is over.
        (at(8, 0, 30), at(13, 0), at(15, 0)),
    ],
)
def test_this_weekend_is_saturday_and_sunday_in_pinghu(now, start, end):
    with time_machine.travel(now, tick=False):
        assert period_bounds("weekend") == (start, end)


def test_this_month_runs_to_the_first_of_the_next_month_in_pinghu():
    # 30 June 20:00 UTC is already 1 July in Pinghu.
    with time_machine.travel(datetime(2026, 6, 30, 20, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        start, end = period_bounds("month")
    assert end == datetime(2026, 8, 1, 0, 0, tzinfo=SH)
    with time_machine.travel(datetime(2026, 12, 15, 9, 0, tzinfo=SH), tick=False):
        assert period_bounds("month")[1] == datetime(2027, 1, 1, 0, 0, tzinfo=SH)
    assert period_bounds("fortnight") is None


def test_the_weekend_chip_lists_saturday_and_sunday_events_only(client):
    _event("周五晚上的讲座", at(5, 19))
    _event("周六早上的亲子课", at(6, 0, 30))
    _event("周日晚上的观星", at(7, 23, 0))
    _event("周一凌晨的直播", at(8, 0, 30))
    with time_machine.travel(at(5, 23, 30), tick=False):
        response = client.get(LIST, {"period": "weekend"})
    assert _titles(response) == ["周六早上的亲子课", "周日晚上的观星"]


def test_an_event_running_into_the_weekend_is_listed(client):
    EventFactory(title="周五开幕的展览", starts_at=at(5, 9), ends_at=at(7, 17))
    with time_machine.travel(at(1, 10), tick=False):
        assert _titles(client.get(LIST, {"period": "weekend"})) == ["周五开幕的展览"]


def test_the_month_chip_stops_at_the_end_of_the_month(client):
    _event("六月底的讲座", at(30, 19))
    _event("七月的讲座", at(30, 19) + timedelta(days=2))
    with time_machine.travel(at(1, 10), tick=False):
        assert _titles(client.get(LIST, {"period": "month"})) == ["六月底的讲座"]


# --- for children, near a town


def test_for_children_lists_youth_events_and_those_for_young_ages(client):
    youth = AudienceFactory(code=Audience.Code.YOUTH)
    seniors = AudienceFactory(code=Audience.Code.SENIORS)
    public = AudienceFactory(code=Audience.Code.PUBLIC)
    with time_machine.travel(at(1, 10), tick=False):
        _event("青少年机器人课", at(6, 9), audiences=[youth, public])
        _event("亲子天文课", at(6, 14), audiences=[public], max_age=12)
        _event("老年人防诈骗讲座", at(6, 16), audiences=[seniors])
        _event("成人摄影课", at(6, 18), audiences=[public], min_age=18)
        response = client.get(LIST, {"who": "children"})
    assert _titles(response) == ["青少年机器人课", "亲子天文课"]


def test_town_chips_narrow_to_a_town_and_tap_again_to_undo(client):
    xindai = TownFactory(name="新埭镇")
    with time_machine.travel(at(1, 10), tick=False):
        _event("新埭镇讲座", at(6, 9), venue=VenueFactory(town=xindai))
        _event("当湖街道讲座", at(6, 10), venue=VenueFactory(town=TownFactory(name="当湖街道")))
        everything = client.get(LIST)
        body = everything.content.decode()
        assert f'href="?town={xindai.pk}"' in body
        narrowed = client.get(LIST, {"town": xindai.pk})
    assert _titles(narrowed) == ["新埭镇讲座"]
    undo = [t for t in narrowed.context["towns"] if t["active"]]
    assert [t["url"] for t in undo] == ["?"]


def test_chips_are_links_that_combine_and_toggle(client):
    with time_machine.travel(at(1, 10), tick=False):
        response = client.get(LIST, {"period": "weekend", "page": "2"})
    chips = {chip["label"]: chip for chip in response.context["chips"]}
    assert chips["本周末"]["active"]
    assert chips["本周末"]["url"] == "?"
    assert chips["本月"]["url"] == "?period=month"
    assert chips["适合孩子"]["url"] == "?period=weekend&who=children"
    body = response.content.decode()
    assert 'href="?period=weekend&amp;who=children"' in body
    assert 'aria-current="true"' in body


def test_the_full_filters_are_folded_away_until_one_is_chosen(client):
    body = client.get(LIST).content.decode()
    assert '<details class="event-filters' in body
    assert "data-open-wide>" in body  # closed: JavaScript opens it on wide screens only
    assert "/static/js/event-filters.js" in body
    chosen = client.get(LIST, {"kind": "lecture"}).content.decode()
    assert "data-open-wide open>" in chosen


@pytest.mark.parametrize(
    "params",
    [{"period": "yesterday"}, {"who": "robots"}, {"period": "weekend", "town": "x"}],
)
def test_unknown_quick_choices_answer_without_error(client, params):
    response = client.get(LIST, params)
    assert response.status_code == 200


# Queries of the list with chips: 1 the ids up to the count's cap, 2 the
# events with seats, 3 audiences, 4-7 the town, audience, campaign and venue
# choices of the folded filter, 8 the town chips.
@pytest.mark.parametrize("rows", [5, 200])
def test_list_with_chips_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    youth = AudienceFactory(code=Audience.Code.YOUTH)
    with time_machine.travel(at(1, 10), tick=False):
        for i in range(rows):
            _event(f"周末课{i}", at(6, 8) + timedelta(minutes=i), audiences=[youth])
        with django_assert_max_num_queries(8):
            response = client.get(LIST, {"period": "weekend", "who": "children"})
    assert response.context["page"].paginator.count == rows


# --- the month on a phone


def test_the_calendar_lists_the_month_by_day_for_phones(client):
    with time_machine.travel(at(1, 10), tick=False):
        _event("周六亲子课", at(6, 9))
        _event("周日观星", at(7, 19))
        response = client.get(reverse("outreach:event_calendar"))
    body = response.content.decode()
    agenda = body[body.index('class="d-md-none"') : body.index("d-none d-md-block")]
    assert "周六亲子课" in agenda
    assert "周日观星" in agenda
    assert agenda.index("周六亲子课") < agenda.index("周日观星")
    assert "2026年6月7日" in agenda


def test_an_empty_month_says_so_on_a_phone(client):
    with time_machine.travel(at(1, 10), tick=False):
        body = client.get(reverse("outreach:event_calendar"), {"month": "2026-09"}).content.decode()
    assert "这个月没有活动。" in body


@pytest.mark.parametrize(
    "query",
    [
        "",
        "town=3",
        "town=3&page=2",
        "q=科普 讲座&town=3&town=4",
        "kind=lecture&q=a%26b+c",
        "period=weekend",
    ],
)
def test_a_chip_toggles_its_choice_and_keeps_the_rest_of_the_query_as_it_was(query):
    request = RequestFactory().get("/events/?" + query)
    for key, value in (("town", "3"), ("town", "5"), ("period", "weekend"), ("who", "children")):
        expected = request.GET.copy()
        expected.pop("page", None)
        if expected.get(key) == value:
            expected.pop(key)
        else:
            expected[key] = value
        assert _toggled(request, key, value) == "?" + expected.urlencode()
