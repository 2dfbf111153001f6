"""The public pages: event list with filters, calendar, detail with sign-up,
the private sign-up page, calendar files, venues."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from members.models import Town
from outreach.models import Audience, Event, Registration, Venue
from outreach.views.public import CappedPaginator
from tests.factories import SocietyFactory, TownFactory
from tests.helpers import card_titles, sent_sms
from tests.outreach.conftest import NOW
from tests.outreach.factories import (
    AudienceFactory,
    CampaignFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return card_titles(response.context["cards"])


# --- the list and its filters


def test_list_shows_upcoming_public_events_soonest_first(client):
    EventFactory(title="下周讲座", starts_at=NOW + timedelta(days=7))
    EventFactory(title="明天讲座", starts_at=NOW + timedelta(days=1))
    EventFactory(title="草稿活动", status=Event.Status.DRAFT)
    EventFactory(title="上月讲座", starts_at=NOW - timedelta(days=30))
    response = client.get(reverse("outreach:event_list"))
    assert response.status_code == 200
    assert _titles(response) == ["明天讲座", "下周讲座"]


def test_past_events_show_their_reach(client):
    EventFactory(
        title="上月讲座",
        starts_at=NOW - timedelta(days=30),
        status=Event.Status.FINISHED,
        reach_total=321,
    )
    response = client.get(reverse("outreach:event_list"), {"when": "past"})
    assert _titles(response) == ["上月讲座"]
    assert "受众 321 人次" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "火箭"}, ["火箭的故事"]),
        ({"q": "种植"}, ["稻田里的科学"]),
        ({"kind": "steam"}, ["稻田里的科学"]),
        ({"date_from": "2026-06-09", "date_to": "2026-06-30"}, ["稻田里的科学"]),
        ({"date_to": "2026-06-03"}, ["火箭的故事"]),
    ],
)
def test_list_filters_by_text_kind_and_dates(client, params, expected):
    EventFactory(title="火箭的故事", starts_at=NOW + timedelta(days=1))
    EventFactory(
        title="稻田里的科学",
        kind=Event.Kind.STEAM,
        description="水稻种植中的物理和化学",
        starts_at=NOW + timedelta(days=10),
    )
    response = client.get(reverse("outreach:event_list"), params)
    assert _titles(response) == expected


def test_a_filter_that_finds_nothing_offers_the_way_back_to_every_event(client):
    EventFactory(title="火箭的故事", starts_at=NOW + timedelta(days=1))
    page = client.get(reverse("outreach:event_list"), {"q": "没有这个词"}).content.decode()
    assert "没有找到符合条件的活动。" in page
    assert f'<a href="{reverse("outreach:event_list")}">清除筛选条件，查看全部</a>' in page
    assert "清除筛选条件" not in client.get(reverse("outreach:event_list")).content.decode()


def test_list_filters_by_town_audience_campaign_and_venue(client):
    town = TownFactory(name="乍浦镇")
    venue = VenueFactory(name="乍浦镇科普e站", town=town)
    campaign = CampaignFactory(name="银龄赋能")
    seniors = AudienceFactory(code=Audience.Code.SENIORS)
    EventFactory(title="老年人防诈骗讲座", venue=venue, campaign=campaign, audiences=[seniors])
    EventFactory(title="少儿编程课", venue=VenueFactory(town=TownFactory(name="新埭镇")))
    url = reverse("outreach:event_list")
    for params in [
        {"town": town.pk},
        {"venue": venue.pk},
        {"campaign": campaign.pk},
        {"audience": seniors.pk},
    ]:
        assert _titles(client.get(url, params)) == ["老年人防诈骗讲座"], params


def test_audiences_read_in_the_visitors_language_unless_staff_renamed_them(client):
    seniors = AudienceFactory(code=Audience.Code.SENIORS)
    farmers = AudienceFactory(code=Audience.Code.FARMERS)
    Audience.objects.filter(pk=farmers.pk).update(name="新农人")
    event = EventFactory(title="老年人防诈骗讲座", audiences=[seniors, farmers])
    client.get(reverse("switch_language", args=["en"]) + "?next=/")
    for url in [reverse("outreach:event_list"), event.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert ">Older people<" in page and "老年人<" not in page, url
        assert ">新农人<" in page, url
    listed = client.get(reverse("outreach:event_list")).content.decode()
    assert f'<option value="{seniors.pk}">Older people</option>' in listed
    chinese = client.__class__().get(event.get_absolute_url()).content.decode()
    assert ">老年人<" in chinese


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not-a-date"},
        {"town": "999999"},
        {"town": "abc"},
        {"kind": "nonsense"},
        {"page": "9999"},
        {"page": "x"},
        {"q": "a" * 5000},
    ],
)
def test_list_with_bad_parameters_answers_without_error(client, params):
    EventFactory()
    response = client.get(reverse("outreach:event_list"), params)
    assert response.status_code == 200


def test_list_is_paginated(client, settings):
    settings.OUTREACH_EVENTS_PER_PAGE = 3
    for day in range(1, 8):
        EventFactory(title=f"第{day}天", starts_at=NOW + timedelta(days=day))
    first = client.get(reverse("outreach:event_list"))
    assert _titles(first) == ["第1天", "第2天", "第3天"]
    third = client.get(reverse("outreach:event_list"), {"page": 3})
    assert _titles(third) == ["第7天"]


def test_a_long_list_is_counted_only_so_far_and_every_page_stays_reachable(
    client, settings, monkeypatch
):
    settings.OUTREACH_EVENTS_PER_PAGE = 2
    monkeypatch.setattr(CappedPaginator, "CAP", 4)
    for day in range(1, 10):
        EventFactory(title=f"第{day}天", starts_at=NOW + timedelta(days=day))
    first = client.get(reverse("outreach:event_list"))
    body = first.content.decode()
    assert "超过 4 个活动" in body
    assert "第 1 页" in body
    assert "page=2" in body
    fourth = client.get(reverse("outreach:event_list"), {"page": 4})
    assert _titles(fourth) == ["第7天", "第8天"]
    assert "page=5" in fourth.content.decode()
    last = client.get(reverse("outreach:event_list"), {"page": 5})
    assert _titles(last) == ["第9天"]
    assert "共 9 个活动" in last.content.decode()
    assert "第 5 / 5 页" in last.content.decode()


# Queries of the list with nothing kept (inside a test's transaction the cards
# and choices are neither read from nor stored in the cache): 1 the ids up to
# the count's cap, 2 those of the page with their venues and pictures, 3 their
# audiences, 4 their seats left, 5-8 the town, audience, campaign and venue
# choices of the filter (the town chips too). With the cards and choices kept,
# only 1 (tests/outreach/test_cards.py).
@pytest.mark.parametrize("rows", [5, 200])
def test_list_query_count_does_not_grow_with_events(client, django_assert_max_num_queries, rows):
    venue = VenueFactory()
    for i in range(rows):
        event = EventFactory(venue=venue, starts_at=NOW + timedelta(hours=i + 1))
        RegistrationFactory(event=event)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("outreach:event_list"), {"q": "讲座"})
    assert response.status_code == 200


# --- calendar


def test_calendar_shows_events_and_course_sessions_on_their_days(client):
    EventFactory(title="六月讲座", starts_at=NOW + timedelta(days=2))
    course = EventFactory(title="STEAM课程", kind=Event.Kind.STEAM)
    SessionFactory(event=course, title="第一课", starts_at=NOW + timedelta(days=3))
    SessionFactory(event=course, title="第二课", starts_at=NOW + timedelta(days=10))
    response = client.get(reverse("outreach:event_calendar"), {"month": "2026-06"})
    assert response.status_code == 200
    days = {
        day.day.day: [item.event.title for item in day.items]
        for week in response.context["weeks"]
        for day in week
        if day.in_month
    }
    assert days[3] == ["六月讲座"]
    assert days[4] == ["STEAM课程"]
    assert days[11] == ["STEAM课程"]


def test_calendar_heading_names_the_month_as_each_language_writes_it(client):
    chinese = client.get(reverse("outreach:event_calendar"), {"month": "2026-06"})
    assert '<h1 class="h3 mb-0">2026年6月科普活动</h1>' in chinese.content.decode()
    english = client.get("/en/", follow=True) and client.get(
        reverse("outreach:event_calendar"), {"month": "2026-06"}
    )
    assert "Popular-science events, June 2026" in english.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "abc", "99999-01", ""])
def test_calendar_with_a_bad_month_shows_this_month(client, month):
    response = client.get(reverse("outreach:event_calendar"), {"month": month})
    assert response.status_code == 200
    assert (response.context["year"], response.context["month"]) == (2026, 6)


# Queries of the calendar: 1 events starting in the shown weeks, 2 sessions in them.
@pytest.mark.parametrize("rows", [5, 200])
def test_calendar_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    venue = VenueFactory()
    for i in range(rows):
        EventFactory(venue=venue, starts_at=NOW + timedelta(hours=i))
    course = EventFactory(venue=venue)
    for i in range(rows // 5):
        SessionFactory(event=course, starts_at=NOW + timedelta(hours=i))
    with django_assert_max_num_queries(2):
        client.get(reverse("outreach:event_calendar"))


# --- detail and sign-up


def test_detail_shows_seats_left_and_the_sign_up_form(client, event):
    RegistrationFactory(event=event, party_size=3)
    response = client.get(event.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["seats_left"] == 7
    assert "提交报名" in body
    assert 'name="phone"' in body


def test_detail_of_a_full_event_offers_the_waiting_list(client, event):
    for _ in range(10):
        RegistrationFactory(event=event)
    body = client.get(event.get_absolute_url()).content.decode()
    assert "名额已满" in body
    assert "加入候补" in body


def test_draft_event_is_not_found_by_visitors(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_missing_event_is_not_found(client, db):
    assert client.get(reverse("outreach:event_detail", args=[99999])).status_code == 404


def test_sign_up_without_an_account_confirms_and_shows_the_private_page(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            event.get_absolute_url(),
            {"name": "王小明", "phone": "13912345678", "party_size": "2"},
            follow=True,
        )
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert response.redirect_chain == [(registration.get_absolute_url(), 302)]
    body = response.content.decode()
    assert "报名成功！请保存下面的报名链接和二维码。" in body
    assert "<svg" in body
    assert registration.code in body
    assert len(sent_sms("13912345678")) == 1


def test_sign_up_on_a_full_event_says_it_joined_the_waiting_list(client, event):
    for _ in range(10):
        RegistrationFactory(event=event)
    response = client.post(
        event.get_absolute_url(),
        {"name": "王小明", "phone": "13912345678", "party_size": "1", "if_short": "waitlist"},
        follow=True,
    )
    assert "您已进入候补名单（1人）。有空位时会按顺序转正并通知您。" in response.content.decode()
    assert "候补第 1 位" in response.content.decode()


def test_sign_up_form_is_prefilled_for_a_signed_in_user(login, public_user, event):
    response = login(public_user).get(event.get_absolute_url())
    form = response.context["form"]
    assert form.initial["name"] == public_user.name
    assert form.initial["phone"] == public_user.phone


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "12345"}, "请输入有效的11位手机号码。"),
        ({"party_size": "0"}, "人数至少为1。"),
        ({"party_size": "9"}, "每次报名最多3人。"),
        ({"party_size": "many"}, "参加人数请填写整数，例如 2。"),
        ({"party_size": "1.5"}, "参加人数请填写整数，例如 2。"),
        ({"party_size": str(10**20)}, "参加人数太多，请核对后再填写。"),
        ({"name": ""}, "请填写姓名。"),
        ({"name": "王\x00小明"}, "不能包含空字符（NUL）。"),
        ({"email": "not-an-email"}, "请输入有效的电子邮箱。"),
    ],
)
def test_bad_sign_up_shows_a_clear_error_and_saves_nothing(client, event, data, message):
    form = {"name": "王小明", "phone": "13912345678", "party_size": "1", **data}
    response = client.post(event.get_absolute_url(), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_every_field_error_shows_at_once(client, event):
    form = {"name": "", "phone": "12345", "party_size": "0"}
    response = client.post(event.get_absolute_url(), form)
    errors = response.context["form"].errors
    assert errors == {
        "name": ["请填写姓名。"],
        "phone": ["请输入有效的11位手机号码。"],
        "party_size": ["人数至少为1。"],
    }


def test_second_sign_up_with_the_same_phone_is_refused_on_the_page(client, event):
    RegistrationFactory(event=event, phone="13912345678")
    response = client.post(
        event.get_absolute_url(), {"name": "王小明", "phone": "13912345678", "party_size": "1"}
    )
    assert response.status_code == 400
    assert "这个手机号码已经报名了本活动。" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "本活动已取消，不能报名。"),
        ({"signup_closes_at": NOW - timedelta(hours=1)}, "报名已截止。"),
    ],
)
def test_sign_up_to_a_closed_event_is_refused_on_the_page(client, changes, message):
    event = EventFactory(**changes)
    response = client.post(
        event.get_absolute_url(), {"name": "王小明", "phone": "13912345678", "party_size": "1"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


# Queries of the detail page with nothing kept (inside a test's transaction):
# 1 the event's row, then for its two columns (outreach.cards) 2 the event with
# seats and organisers, 3 audiences, 4 sessions, 5 reach entries. Kept: 1 only
# (tests/outreach/test_cards.py).
@pytest.mark.parametrize("rows", [5, 200])
def test_detail_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    event = EventFactory(capacity=1000, society=SocietyFactory())
    for _ in range(rows):
        RegistrationFactory(event=event)
    for i in range(min(rows, 20)):
        SessionFactory(event=event, starts_at=NOW + timedelta(days=i + 1))
    with django_assert_max_num_queries(5):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200


# --- the private page


def test_private_page_shows_the_sign_up_with_a_masked_phone(client, event):
    registration = RegistrationFactory(event=event, phone="13912345678", name="王小明")
    response = client.get(registration.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "王小明" in body
    assert "139****5678" in body
    assert "13912345678" not in body
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("code", ["forged-code", "a" * 22, "x" * 200])
def test_forged_code_is_not_found(client, event, code):
    RegistrationFactory(event=event)
    assert client.get(reverse("outreach:registration_manage", args=[code])).status_code == 404
    assert client.post(reverse("outreach:registration_manage", args=[code])).status_code == 404
    assert client.get(reverse("outreach:registration_qr", args=[code])).status_code == 404
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_private_link_cancels_and_promotes_the_waiting(client, event):
    mine = RegistrationFactory(event=event, party_size=3)
    for _ in range(7):
        RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted", party_size=2)
    cancel_url = reverse("outreach:registration_cancel", args=[mine.code])
    assert f'href="{cancel_url}"' in client.get(mine.get_absolute_url()).content.decode()
    asked = client.get(cancel_url).content.decode()
    assert "确定取消这次报名吗？" in asked
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
    response = client.post(cancel_url, {"confirmed": "yes"}, follow=True)
    assert "报名已取消。" in response.content.decode()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED


def test_private_link_refuses_to_cancel_after_the_cut_off(client):
    event = EventFactory(starts_at=NOW + timedelta(hours=1))
    mine = RegistrationFactory(event=event)
    cancel_url = reverse("outreach:registration_cancel", args=[mine.code])
    assert cancel_url not in client.get(mine.get_absolute_url()).content.decode()
    response = client.post(cancel_url, {"confirmed": "yes"}, follow=True)
    assert "活动开始前2小时内不能在线取消，请联系主办方。" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED


def test_a_cancel_posted_without_confirmation_only_asks(client, event):
    mine = RegistrationFactory(event=event)
    for url in (
        reverse("outreach:registration_cancel", args=[mine.code]),
        mine.get_absolute_url(),  # the cancel form of an older page
    ):
        response = client.post(url)
        assert "确认取消报名" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED


def test_a_cancelled_sign_up_offers_nothing_of_a_live_one(client, event):
    mine = RegistrationFactory(event=event, status=Registration.Status.CANCELLED, cancelled_at=NOW)
    response = client.get(mine.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "已取消" in body
    assert "<svg" not in body
    assert ".ics" not in body
    assert reverse("outreach:registration_cancel", args=[mine.code]) not in body
    assert "专属链接" not in body
    assert "如需参加，可以重新报名" in body
    for name in ("outreach:registration_qr", "outreach:registration_ics"):
        assert client.get(reverse(name, args=[mine.code])).status_code == 404
    again = client.get(reverse("outreach:registration_cancel", args=[mine.code]), follow=True)
    assert "该报名已经取消。" in again.content.decode()


def test_a_live_sign_up_has_its_calendar_file(client, event):
    mine = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    body = client.get(mine.get_absolute_url()).content.decode()
    ics = reverse("outreach:registration_ics", args=[mine.code])
    assert f'href="{ics}"' in body
    assert "<svg" not in body  # waiting: no seat, so no code for the door
    response = client.get(ics)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "航天科普讲座" in response.content.decode()
    assert client.get(reverse("outreach:registration_qr", args=[mine.code])).status_code == 404


def test_the_calendar_of_a_waiting_family_says_they_are_waiting(client, event):
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    seated = RegistrationFactory(event=event, status=Registration.Status.CONFIRMED)
    waiting_ics = client.get(reverse("outreach:registration_ics", args=[waiting.code]))
    seated_ics = client.get(reverse("outreach:registration_ics", args=[seated.code]))
    assert "STATUS:TENTATIVE" in waiting_ics.content.decode()
    assert "（候补）航天科普讲座" in waiting_ics.content.decode()
    assert "STATUS:CONFIRMED" in seated_ics.content.decode()
    assert "候补" not in seated_ics.content.decode()


def test_qr_code_is_an_svg_of_the_private_link(client, event):
    registration = RegistrationFactory(event=event)
    response = client.get(reverse("outreach:registration_qr", args=[registration.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


# --- calendar files


def _check_rfc5545(content: bytes) -> Calendar:
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert content.endswith(b"END:VCALENDAR\r\n")
    for line in content.split(b"\r\n"):
        assert b"\n" not in line
        assert len(line) <= 75, line  # folded at 75 octets
    calendar = Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    for item in calendar.walk("VEVENT"):
        for required in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"]:
            assert required in item, required
        assert item.decoded("DTEND") >= item.decoded("DTSTART")
    return calendar


def test_event_ics_is_valid_and_describes_the_event(client, event):
    event.description = "长长的介绍，" * 40
    event.save()
    response = client.get(reverse("outreach:event_ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = _check_rfc5545(response.content)
    [item] = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "航天科普讲座"
    assert item.decoded("DTSTART") == event.starts_at
    assert str(item["LOCATION"]).startswith(event.venue.name)
    assert item["STATUS"] == "CONFIRMED"


def test_course_ics_has_one_entry_per_session(client, event):
    SessionFactory(event=event, starts_at=NOW + timedelta(days=7))
    SessionFactory(event=event, starts_at=NOW + timedelta(days=14))
    calendar = _check_rfc5545(client.get(reverse("outreach:event_ics", args=[event.pk])).content)
    assert len({str(item["UID"]) for item in calendar.walk("VEVENT")}) == 2


def test_feeds_list_public_events_and_campaign_feed_only_its_own(client):
    campaign = CampaignFactory(name="小小科学+")
    EventFactory(title="小小科学实验", campaign=campaign)
    EventFactory(title="其他讲座")
    EventFactory(title="草稿", status=Event.Status.DRAFT)
    cancelled = EventFactory(title="取消的讲座", status=Event.Status.CANCELLED)
    all_events = _check_rfc5545(client.get(reverse("outreach:events_feed")).content)
    summaries = {str(item["SUMMARY"]): item for item in all_events.walk("VEVENT")}
    assert set(summaries) == {"小小科学实验", "其他讲座", cancelled.title}
    assert summaries[cancelled.title]["STATUS"] == "CANCELLED"
    own = _check_rfc5545(client.get(reverse("outreach:campaign_feed", args=[campaign.pk])).content)
    assert [str(item["SUMMARY"]) for item in own.walk("VEVENT")] == ["小小科学实验"]


def test_draft_event_has_no_ics(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("outreach:event_ics", args=[draft.pk])).status_code == 404


# --- venues


def test_venue_list_filters_by_kind_level_and_town(client):
    town = TownFactory(name="独山港镇")
    VenueFactory(name="中国航天科普馆", kind=Venue.Kind.SPACE_MUSEUM, town=town)
    VenueFactory(name="农业科普教育基地", kind=Venue.Kind.BASE, level=Venue.Level.PREFECTURE)
    url = reverse("outreach:venue_list")

    def names(params):
        return [venue.name for venue in client.get(url, params).context["page"]]

    assert names({"kind": "space_museum"}) == ["中国航天科普馆"]
    assert names({"level": "prefecture"}) == ["农业科普教育基地"]
    assert names({"town": town.pk}) == ["中国航天科普馆"]


def test_venue_page_shows_opening_hours_and_upcoming_events(client):
    venue = VenueFactory(name="中国航天科普馆", opening_hours="周三至周日 9:00–16:30")
    EventFactory(title="天宫课堂直播", venue=venue)
    EventFactory(title="去年的活动", venue=venue, starts_at=NOW - timedelta(days=300))
    response = client.get(venue.get_absolute_url())
    body = response.content.decode()
    assert "周三至周日 9:00–16:30" in body
    assert "天宫课堂直播" in body
    assert "去年的活动" not in body


# Queries of the venue list: 1 count, 2 the page with towns, 3 the town choices.
@pytest.mark.parametrize("rows", [5, 200])
def test_venue_list_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    town = Town.objects.create(name="新仓镇")
    Venue.objects.bulk_create(
        Venue(name=f"科普阵地{i}", kind=Venue.Kind.E_STATION, town=town) for i in range(rows)
    )
    with django_assert_max_num_queries(3):
        client.get(reverse("outreach:venue_list"))


# Queries of a venue page: 1 the venue and its town, 2 photos, 3 upcoming events
# with seats, 4 their audiences.
@pytest.mark.parametrize("rows", [5, 200])
def test_venue_page_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    venue = VenueFactory()
    for i in range(rows):
        EventFactory(venue=venue, starts_at=NOW + timedelta(hours=i + 1))
    with django_assert_max_num_queries(4):
        client.get(venue.get_absolute_url())


def test_missing_venue_is_not_found(client, db):
    assert client.get(reverse("outreach:venue_detail", args=[424242])).status_code == 404


# --- the organisation include and the home page


def test_org_include_lists_the_organisers_next_events(db):
    from django.template.loader import render_to_string

    society = SocietyFactory(name="平湖市科普作家协会")
    EventFactory(title="科普写作沙龙", society=society)
    EventFactory(title="别家的活动")
    html = render_to_string("outreach/_org_upcoming_events.html", {"org": society})
    assert "科普写作沙龙" in html
    assert "别家的活动" not in html


def test_home_page_shows_upcoming_events(client, event):
    assert "航天科普讲座" in client.get("/").content.decode()


def test_org_include_also_takes_the_organisation_from_a_members_section(db):
    from django.template.loader import render_to_string

    society = SocietyFactory(name="平湖市农学会")
    EventFactory(title="稻田开放日", society=society)
    html = render_to_string("outreach/_org_upcoming_events.html", {"section": {"org": society}})
    assert "稻田开放日" in html


def test_upcoming_events_for_org_costs_one_query(db, django_assert_num_queries):
    from outreach.selectors import upcoming_events_for_org

    society = SocietyFactory()
    for _ in range(8):
        EventFactory(society=society)
    with django_assert_num_queries(1):
        events = upcoming_events_for_org(society=society, limit=5)
        [event.venue.name for event in events]
    assert len(events) == 5


def test_list_filter_keeps_the_chosen_options_selected(client):
    campaign = CampaignFactory(name="农民共富")
    body = client.get(
        reverse("outreach:event_list"), {"campaign": campaign.pk, "kind": "steam", "q": "稻"}
    ).content.decode()
    assert f'<option value="{campaign.pk}" selected>农民共富</option>' in body
    assert '<option value="steam" selected>STEAM课程</option>' in body
    assert 'name="q" value="稻"' in body


def test_an_events_time_is_written_in_the_visitors_language(client, db):
    # The factory's event starts a week after NOW: Monday 8 June 2026, 10:00.
    event = EventFactory()
    chinese = client.get(event.get_absolute_url()).content.decode()
    assert "2026年6月8日 星期一 10:00" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(event.get_absolute_url()).content.decode()
    assert "Mon 8 Jun 2026, 10:00" in english
    assert not re.search(r"\d+月\d+日", english)
