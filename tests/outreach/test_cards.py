"""Event cards kept apart from the pages (outreach/cards.py): pages the page
cache does not serve (``PAGE_CACHE_SECONDS=0`` here, as for a signed-in
visitor) render each card once, and an edit of anything a card shows is on
the next page at once.

These tests commit for real (``transaction=True``): parts are kept only
outside a transaction, and dependencies are bumped on commit, as in production.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kexie.platform.lib import pagecache
from outreach import cards
from outreach.services.events import event_save
from outreach.services.registrations import registration_create
from tests.factories import TownFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import (
    AudienceFactory,
    EventFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEATS = '<span class="fs-4 fw-bold text-success">{left}</span> 个名额剩余（共 {capacity} 个）'


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0
    with time_machine.travel(NOW, tick=False):
        cache.clear()
        pagecache.local_pages.clear()
        yield


def _body(client, url="/events/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    return response.content.decode()


def _queries(client, url="/events/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        _body(client, url)
    return [query["sql"] for query in queries]


# Queries of the list once its cards, choices and ids are kept: none. A query
# seen for the first time reads its ids up to the count's cap (the page and
# the count from one read), then nothing. Nothing of the twenty events.
@pytest.mark.parametrize("rows", [5, 30])
def test_a_list_rendered_again_reads_nothing(rows):
    venue = VenueFactory()
    for i in range(rows):
        EventFactory(venue=venue, starts_at=NOW + timedelta(hours=i + 1), capacity=10)
    client = Client()
    _body(client)
    assert _queries(client) == []
    assert len(_queries(client, "/events/?q=讲座")) == 1
    assert _queries(client, "/events/?q=讲座") == []


def test_an_event_that_ends_leaves_the_kept_list_and_its_count_at_once():
    EventFactory(
        title="即将结束的讲座",
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(minutes=30),
    )
    EventFactory(title="下周讲座")
    client = Client()
    body = _body(client)
    assert "即将结束的讲座" in body and "共 2 个活动" in body
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        # No write: the kept ids, without the event that has ended.
        assert _queries(client) == []
        body = _body(client)
    assert "即将结束的讲座" not in body and "下周讲座" in body and "共 1 个活动" in body


def test_kept_ids_too_few_once_events_end_are_read_again(monkeypatch, settings):
    from outreach import upcoming
    from outreach.views.public import CappedPaginator

    settings.OUTREACH_EVENTS_PER_PAGE = 1
    monkeypatch.setattr(CappedPaginator, "CAP", 2)
    monkeypatch.setattr(upcoming, "SLACK", 0)  # kept: the 3 ids asked for, no more
    EventFactory(title="即将结束的讲座", starts_at=NOW, ends_at=NOW + timedelta(minutes=30))
    for day in range(1, 5):
        EventFactory(title=f"第{day}天的讲座", starts_at=NOW + timedelta(days=day))
    client = Client()
    body = _body(client)
    assert "即将结束的讲座" in body and "超过 2 个活动" in body
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        # Two kept ids left of the three asked for: read again (and the card
        # of the event that comes first now rendered).
        ids_read = [sql for sql in _queries(client) if '"ends_at" AS "ends_at"' in sql]
        assert len(ids_read) == 1
        body = _body(client)
    assert "即将结束的讲座" not in body and "第1天的讲座" in body and "超过 2 个活动" in body


def test_a_new_event_shows_on_the_kept_list_and_home_at_once():
    EventFactory(title="下周讲座")
    client = Client()
    assert "共 1 个活动" in _body(client)
    _body(client, "/")
    EventFactory(title="明天的天文讲座", starts_at=NOW + timedelta(days=1))
    body = _body(client)
    assert "明天的天文讲座" in body and "共 2 个活动" in body
    assert "明天的天文讲座" in _body(client, "/")


def test_home_rendered_again_reads_no_event():
    for i in range(6):
        EventFactory(starts_at=NOW + timedelta(hours=i + 1), capacity=10)
    client = Client()
    _body(client, "/")
    queries = _queries(client, "/")
    assert not any("outreach_event_audiences" in sql for sql in queries)
    assert not any("outreach_registration" in sql for sql in queries)


def test_an_event_edit_shows_on_the_list_and_home_at_once():
    event = EventFactory(capacity=10, title="航天科普讲座", summary="看火箭")
    client = Client()
    assert "航天科普讲座" in _body(client)
    assert "航天科普讲座" in _body(client, "/")
    event.title = "北斗导航科普讲座"
    event.summary = "认识北斗"
    event_save(event=event)
    for url in ("/events/", "/"):
        body = _body(client, url)
        assert "北斗导航科普讲座" in body
        assert "认识北斗" in body
        assert "航天科普讲座" not in body


def test_a_venue_renamed_shows_on_the_cards_at_once():
    venue = VenueFactory(name="科技馆")
    EventFactory(capacity=10, venue=venue)
    client = Client()
    assert "科技馆" in _body(client)
    venue.name = "平湖市科技馆"
    venue.save()
    assert "平湖市科技馆" in _body(client)


def test_audiences_changed_show_on_the_card_at_once():
    event = EventFactory(capacity=10)
    seniors = AudienceFactory(code="seniors")
    badge = f'border">{seniors.name}</span>'
    client = Client()
    assert badge not in _body(client)
    event.audiences.add(seniors)
    assert badge in _body(client)
    seniors.events.remove(event)  # from the audience's side
    assert badge not in _body(client)
    seniors.name = "银龄"
    seniors.save()
    event.audiences.add(seniors)
    assert 'border">银龄</span>' in _body(client)


def test_a_sign_up_shows_its_seats_at_once_without_rendering_the_card_again():
    event = EventFactory(capacity=10)
    client = Client()
    assert "余 10 个名额" in _body(client)
    registration_create(event=event, name="王小明", phone="13800001111", party_size=2)
    queries = _queries(client)
    # the seats left of that one event; not the ids (a sign-up changes no
    # list), not the card's event row
    assert len(queries) == 1
    assert "余 8 个名额" in _body(client)


def test_an_english_visitor_gets_english_cards():
    EventFactory(capacity=10)
    client = Client()
    assert "余 10 个名额" in _body(client)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = _body(english)
    assert "余 10 个名额" not in body
    assert _body(client).count("余 10 个名额") == 1


def test_cards_are_rendered_when_the_cache_is_down(monkeypatch):
    EventFactory(capacity=10, title="航天科普讲座")

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["default"], "get_many", down)
    assert "航天科普讲座" in _body(Client())


# --- an event's page


def test_an_event_page_rendered_again_reads_only_the_event_row():
    event = EventFactory(capacity=10)
    client = Client()
    _body(client, event.get_absolute_url())
    assert len(_queries(client, event.get_absolute_url())) == 1


def test_each_visitor_gets_a_working_csrf_token_in_a_kept_sign_up_form():
    event = EventFactory(capacity=10)
    url = event.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        body = _body(client, url)
        tokens.append(TOKEN.search(body).group(1))
        assert "kexie-part-csrf" not in body
    assert tokens[0] != tokens[1]
    response = second.post(
        url,
        {
            "csrfmiddlewaretoken": tokens[1],
            "name": "王小明",
            "phone": "13800001111",
            "party_size": 1,
        },
    )
    assert response.status_code == 302


def test_a_sign_up_and_an_edit_show_on_the_event_page_at_once():
    event = EventFactory(capacity=10, title="航天科普讲座")
    SessionFactory(event=event, title="第一课", starts_at=NOW + timedelta(days=3))
    client = Client()
    url = event.get_absolute_url()
    assert "第一课" in _body(client, url)
    registration_create(event=event, name="王小明", phone="13800001111", party_size=3)
    assert SEATS.format(left=7, capacity=10) in _body(client, url)
    event.title = "北斗导航科普讲座"
    event.capacity = 30
    event_save(event=event)
    body = _body(client, url)
    assert "北斗导航科普讲座" in body
    assert SEATS.format(left=27, capacity=30) in body
    SessionFactory(event=event, title="第二课", starts_at=NOW + timedelta(days=10))
    assert "第二课" in _body(client, url)


def test_the_sign_up_box_follows_the_clock():
    event = EventFactory(capacity=10, starts_at=NOW + timedelta(days=2))
    client = Client()
    url = event.get_absolute_url()
    assert "提交报名" in _body(client, url)
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        body = _body(client, url)
    assert "提交报名" not in body
    assert "活动已结束" in body


def test_a_new_town_and_venue_show_in_the_kept_filters_at_once():
    EventFactory(capacity=10)
    client = Client()
    _body(client)
    assert _queries(client) == []
    TownFactory(name="广陈镇")
    VenueFactory(name="广陈科普馆")
    body = _body(client)
    assert ">广陈镇</a>" in body  # the town chips
    assert ">广陈镇</option>" in body
    assert ">广陈科普馆</option>" in body


def test_a_filtered_list_keeps_its_chips_and_form_per_query_and_shows_a_new_town_at_once():
    town = TownFactory(name="当湖街道")
    EventFactory(capacity=10, title="航天科普讲座", venue=VenueFactory(town=town))
    client = Client()
    url = f"/events/?q=讲座&town={town.pk}"
    first = _body(client, url)
    # Kept: the ids too, nothing is read again.
    assert _queries(client, url) == []
    again = _body(client, url)
    assert again == first
    assert 'value="讲座"' in again
    assert f'<option value="{town.pk}" selected>当湖街道</option>' in again
    # Another query gets its own chips and form, not the first one's.
    other = _body(client, "/events/?q=天文&kind=lecture")
    assert 'value="天文"' in other and 'value="讲座"' not in other
    assert '<option value="lecture" selected>' in other
    TownFactory(name="广陈镇")
    body = _body(client, url)
    assert ">广陈镇</a>" in body and ">广陈镇</option>" in body
    assert "航天科普讲座" in body


def test_a_filtered_list_with_junk_in_its_query_is_rendered_but_never_kept(monkeypatch):
    EventFactory(capacity=10, title="航天科普讲座")
    kept = []
    list_filters = cards.list_filters
    monkeypatch.setattr(
        cards,
        "list_filters",
        lambda *args, **kwargs: kept.append(kwargs) or list_filters(*args, **kwargs),
    )
    client = Client()
    body = _body(client, "/events/?q=讲座&utm=广告")
    assert "航天科普讲座" in body and 'value="讲座"' in body
    assert kept == []
    assert "广告" not in _body(client, "/events/?q=讲座")
    assert [found["query"] for found in kept] == ["q=%E8%AE%B2%E5%BA%A7"]
