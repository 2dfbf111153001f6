"""Staff and organiser pages: who may open them, the sign-up list with its
Excel export, the check-in page, lecture requests, and the scoped admin."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outreach.models import Event, LectureRequest, Registration
from tests.factories import SocietyFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import (
    AudienceFactory,
    EventFactory,
    LectureTopicFactory,
    RegistrationFactory,
    SpeakerTeamFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "staff_user",
    "manager_user",
    "enterprise_user",
    "expert_user",
    "public_user",
]


def _client_for(role, request, client, login):
    if role == "anonymous":
        return client
    return login(request.getfixturevalue(role))


STAFF_PAGES = [
    "outreach:staff_event_registrations",
    "outreach:staff_registrations_xlsx",
    "outreach:staff_check_in",
    "outreach:staff_check_in_counts",
]


@pytest.mark.parametrize("url_name", STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "own", "expected"),
    [
        ("staff_user", True, 200),
        ("staff_user", False, 200),
        ("manager_user", True, 200),
        ("manager_user", False, 403),
        ("enterprise_user", False, 403),
        ("expert_user", False, 403),
        ("public_user", False, 403),
        ("anonymous", False, 302),
    ],
)
def test_staff_page_permissions(
    request, client, login, manager_event, other_event, url_name, role, own, expected
):
    event = manager_event if own else other_event
    response = _client_for(role, request, client, login).get(reverse(url_name, args=[event.pk]))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url_name", STAFF_PAGES)
def test_other_organisers_draft_is_not_found_by_a_manager(login, manager_user, url_name):
    draft = EventFactory(status=Event.Status.DRAFT, society=SocietyFactory())
    response = login(manager_user).get(reverse(url_name, args=[draft.pk]))
    assert response.status_code == 404


def test_manager_sees_drafts_of_their_own_branch(login, manager_user, manager_branch):
    draft = EventFactory(status=Event.Status.DRAFT, branch=manager_branch, title="筹备中的活动")
    client = login(manager_user)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(reverse("outreach:staff_check_in", args=[draft.pk])).status_code == 200


PUBLIC_URLS = [
    ("outreach:event_list", False),
    ("outreach:event_calendar", False),
    ("outreach:events_feed", False),
    ("outreach:venue_list", False),
    ("outreach:speaker_team_list", False),
    ("outreach:event_detail", True),
    ("outreach:event_ics", True),
]


@pytest.mark.parametrize(("url_name", "with_event"), PUBLIC_URLS)
@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_public_pages_open_to_everyone(request, client, login, event, url_name, with_event, role):
    url = reverse(url_name, args=[event.pk] if with_event else [])
    assert _client_for(role, request, client, login).get(url).status_code == 200


def test_every_outreach_url_answers_a_logged_out_visitor_without_error(client, event):
    from outreach.urls import urlpatterns

    registration = RegistrationFactory(event=event)
    team = SpeakerTeamFactory()
    args_for = {
        "pk": event.pk,
        "code": registration.code,
        "registration_pk": registration.pk,
        "token": "not-a-token",
        "check_code": "not-a-code",
    }
    for pattern in urlpatterns:
        names = list(pattern.pattern.converters)
        if pattern.name == "speaker_team_detail":
            args = [team.pk]
        elif pattern.name == "venue_detail":
            args = [event.venue.pk]
        elif pattern.name in {"campaign_feed", "staff_lecture_request"}:
            args = [424242]
        else:
            args = [args_for[name] for name in names]
        url = reverse(f"outreach:{pattern.name}", args=args)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (200, 302, 400, 404, 405), (method, url, status)


# --- sign-up list and export


def test_registration_list_shows_counts_and_filters_by_status(staff_client, event):
    RegistrationFactory(event=event, name="甲", party_size=3)
    RegistrationFactory(event=event, name="乙", status="waitlisted", party_size=2)
    RegistrationFactory(event=event, name="丙", status="attended", party_size=2, attended_count=1)
    url = reverse("outreach:staff_event_registrations", args=[event.pk])
    response = staff_client.get(url)
    counts = response.context["counts"]
    assert (counts["expected"], counts["people"]["waitlisted"], counts["present"]) == (5, 2, 1)
    waiting = staff_client.get(url, {"status": "waitlisted"})
    assert [r.name for r in waiting.context["registrations"]] == ["乙"]
    assert staff_client.get(url, {"status": "bogus"}).status_code == 200


def test_staff_enter_a_phone_sign_up_after_the_window(staff_client, event):
    event.signup_closes_at = NOW - timedelta(hours=1)
    event.save()
    url = reverse("outreach:staff_event_registrations", args=[event.pk])
    response = staff_client.post(url, {"name": "电话报名", "phone": "13911112222", "party_size": 2})
    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_staff_cancel_a_sign_up_from_the_list_after_confirming(staff_client, event):
    registration = RegistrationFactory(event=event, name="王家长", party_size=3)
    url = reverse("outreach:staff_registration_cancel", args=[event.pk, registration.pk])
    listing = staff_client.get(reverse("outreach:staff_event_registrations", args=[event.pk]))
    assert f'href="{url}"' in listing.content.decode()

    page = staff_client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "确定取消 王家长 的报名吗？" in body
    assert 'name="confirmed" value="yes"' in body
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    staff_client.post(url, {"confirmed": "yes"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_cancel_posted_without_confirmation_only_asks(staff_client, event):
    registration = RegistrationFactory(event=event)
    url = reverse("outreach:staff_registration_cancel", args=[event.pk, registration.pk])
    response = staff_client.post(url)
    assert "确认取消报名" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_manager_cannot_cancel_another_organisers_sign_up(login, manager_user, other_event):
    registration = RegistrationFactory(event=other_event)
    url = reverse("outreach:staff_registration_cancel", args=[other_event.pk, registration.pk])
    assert login(manager_user).post(url, {"confirmed": "yes"}).status_code == 403
    assert login(manager_user).get(url).status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_excel_export_lists_every_sign_up_and_defuses_formulas(staff_client, event):
    RegistrationFactory(event=event, name="王小明", phone="13912345678", party_size=2)
    RegistrationFactory(event=event, name="=HYPERLINK(1)", status="waitlisted")
    response = staff_client.get(reverse("outreach:staff_registrations_xlsx", args=[event.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("报名时间", "姓名", "手机号码", "人数", "状态")
    assert rows[1][1:5] == ("王小明", "13912345678", 2, "已确认")
    assert rows[2][1] == "'=HYPERLINK(1)"
    assert rows[2][4] == "候补中"


def test_excel_export_carries_no_private_code_or_email(staff_client, event):
    registration = RegistrationFactory(event=event, email="wang@example.cn")
    response = staff_client.get(reverse("outreach:staff_registrations_xlsx", args=[event.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert "报名码" not in cells
    assert "电子邮箱" not in cells
    assert not any(registration.code in c or "wang@example.cn" in c for c in cells)


def test_a_long_sign_up_list_is_shown_by_pages_that_say_how_many(staff_client, event):
    event.capacity = 1000
    event.save()
    for n in range(120):
        RegistrationFactory(
            event=event, name=f"报名者{n:03d}", created_at=NOW + timedelta(minutes=n)
        )
    RegistrationFactory(
        event=event, name="候补者", status="waitlisted", created_at=NOW - timedelta(minutes=1)
    )
    url = reverse("outreach:staff_event_registrations", args=[event.pk])
    first = staff_client.get(url)
    body = first.content.decode()
    assert [r.name for r in first.context["registrations"]][:2] == ["候补者", "报名者000"]
    assert len(first.context["registrations"]) == 50
    assert "共 121 个报名 · 第 1 / 3 页" in body
    assert 'href="?page=2"' in body
    last = staff_client.get(url, {"page": 3})
    assert [r.name for r in last.context["registrations"]][-1] == "报名者119"
    assert len(last.context["registrations"]) == 21
    # A page past the end shows the last; the status stays in the pager's links.
    assert staff_client.get(url, {"page": "99"}).context["registrations"].number == 3
    waiting = staff_client.get(url, {"status": "confirmed"}).content.decode()
    assert 'href="?status=confirmed&amp;page=2"' in waiting


# Queries of the sign-up list: 1 the session with its user, 2 the event's row
# (who may see it), 3 the event with its seats and venue, read after the
# cache's dependencies (test_staff_list_cache.py), 4 how many sign-ups (the
# pager), 5 the counts per status, 6 the page of sign-ups.
@pytest.mark.parametrize("rows", [5, 200])
def test_registration_list_query_count_does_not_grow(
    staff_client, event, django_assert_max_num_queries, rows
):
    event.capacity = 1000
    event.save()
    for _ in range(rows):
        RegistrationFactory(event=event)
    with django_assert_max_num_queries(6):
        staff_client.get(reverse("outreach:staff_event_registrations", args=[event.pk]))


# --- check-in


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("王小明", True),
        ("小明", True),
        ("5678", True),
        ("1234", False),
        ("", False),
    ],
)
def test_check_in_search_by_name_and_last_four_digits(staff_client, event, query, found):
    RegistrationFactory(event=event, name="王小明", phone="13912345678")
    response = staff_client.get(reverse("outreach:staff_check_in", args=[event.pk]), {"q": query})
    assert bool(response.context["results"]) is found


def test_check_in_finds_a_scanned_private_link(staff_client, event):
    registration = RegistrationFactory(event=event)
    scanned = f"http://127.0.0.1:8000/events/r/{registration.code}/"
    response = staff_client.get(reverse("outreach:staff_check_in", args=[event.pk]), {"q": scanned})
    assert response.context["results"] == [registration]


def test_check_in_search_with_odd_characters_finds_nothing(staff_client, event):
    RegistrationFactory(event=event)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    for query in ["\x00", "王\x00", "%", "_" * 500]:
        response = staff_client.get(url, {"q": query})
        assert response.status_code == 200
        assert response.context["results"] == []


def test_check_in_returns_to_the_same_search_even_with_odd_characters(staff_client, event):
    registration = RegistrationFactory(event=event, party_size=2)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    query = "王 & 李\r\n"
    response = staff_client.post(url, {"registration": registration.pk, "count": 1, "q": query})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?q=%E7%8E%8B+%26+%E6%9D%8E%0D%0A"


def test_check_in_does_not_find_sign_ups_of_another_event(staff_client, event):
    other = RegistrationFactory(name="王小明")
    response = staff_client.get(
        reverse("outreach:staff_check_in", args=[event.pk]), {"q": other.code}
    )
    assert response.context["results"] == []


def test_a_code_of_another_event_says_which_event_it_belongs_to(staff_client, event):
    other = RegistrationFactory(event=EventFactory(title="会跳舞的火焰"))
    url = reverse("outreach:staff_check_in", args=[event.pk])
    for scanned in (other.code, f"http://127.0.0.1:8000/events/r/{other.code}/"):
        body = staff_client.get(url, {"q": scanned}).content.decode()
        assert "这个报名码不是本场活动的，而是“会跳舞的火焰”" in body
        assert "没有找到这条报名" not in body
        assert reverse("outreach:staff_check_in", args=[other.event.pk]) in body


def test_a_manager_is_not_told_of_a_draft_of_another_organisation_behind_a_code(
    login, manager_user, manager_event, other_event
):
    draft = EventFactory(
        title="未公开的活动", status=Event.Status.DRAFT, society=other_event.society
    )
    client = login(manager_user)
    url = reverse("outreach:staff_check_in", args=[manager_event.pk])
    body = client.get(url, {"q": RegistrationFactory(event=draft).code}).content.decode()
    assert "这个报名码不是本场活动的报名。" in body
    assert "未公开的活动" not in body
    body = client.get(url, {"q": RegistrationFactory(event=other_event).code}).content.decode()
    assert "“医学会健康讲座”" in body
    assert reverse("outreach:staff_check_in", args=[other_event.pk]) not in body


def test_an_unknown_code_is_still_not_found(staff_client, event):
    url = reverse("outreach:staff_check_in", args=[event.pk])
    body = staff_client.get(url, {"q": "A" * 22}).content.decode()
    assert "没有找到这条报名。" in body


def test_a_cancelled_sign_up_is_found_and_says_it_cannot_be_checked_in(staff_client, event):
    cancelled = RegistrationFactory(
        event=event, name="王取消", status=Registration.Status.CANCELLED, cancelled_at=NOW
    )
    url = reverse("outreach:staff_check_in", args=[event.pk])
    response = staff_client.get(url, {"q": cancelled.code})
    body = response.content.decode()
    assert response.context["results"] == [cancelled]
    assert "这条报名已于" in body
    assert "取消，不能签到。" in body
    assert f'name="registration" value="{cancelled.pk}"' not in body


def test_a_cancelled_sign_up_comes_after_the_live_one_of_the_same_name(staff_client, event):
    cancelled = RegistrationFactory(
        event=event, name="李同名", status=Registration.Status.CANCELLED, cancelled_at=NOW
    )
    live = RegistrationFactory(event=event, name="李同名")
    url = reverse("outreach:staff_check_in", args=[event.pk])
    assert staff_client.get(url, {"q": "李同名"}).context["results"] == [live, cancelled]


def test_a_waiting_sign_up_says_why_it_cannot_be_checked_in(staff_client, event):
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    body = staff_client.get(url, {"q": waiting.code}).content.decode()
    assert "这条报名还在候补名单上，没有座位，不能签到。" in body


def test_checking_in_the_same_code_twice_says_it_was_already_done(staff_client, event):
    registration = RegistrationFactory(event=event, name="胡国华", party_size=2)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    data = {"registration": registration.pk, "count": 2, "q": registration.code}
    first = staff_client.post(url, data, follow=True).content.decode()
    assert "胡国华 已签到 2/2 人。" in first
    second = staff_client.post(url, data, follow=True).content.decode()
    assert "胡国华 已于 10:00 签到过（2 人），无需重复签到。" in second
    assert "已于 10:00 签到。再次扫到同一个码时，请核对来人。" in second
    registration.refresh_from_db()
    assert registration.attended_count == 2
    changed = staff_client.post(url, {**data, "count": 1}, follow=True).content.decode()
    assert "胡国华 已签到 1/2 人。" in changed


def test_checking_in_part_of_a_party_updates_the_live_counts(staff_client, event):
    registration = RegistrationFactory(event=event, party_size=3)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    response = staff_client.post(url, {"registration": registration.pk, "count": 2}, follow=True)
    assert "已签到 2/3 人" in response.content.decode()
    counts = staff_client.get(reverse("outreach:staff_check_in_counts", args=[event.pk])).json()
    assert counts == {"present": 2, "expected": 3, "waiting": 0, "capacity": 10}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": 9}, "签到人数应在0到3之间。"),
        ({"count": "x"}, "签到人数请填写整数。"),
        ({"count": "-1"}, "签到人数不能小于0。"),
        ({}, "请填写签到人数。"),
    ],
)
def test_bad_check_in_is_refused_with_a_message(staff_client, event, data, message):
    registration = RegistrationFactory(event=event, party_size=3)
    url = reverse("outreach:staff_check_in", args=[event.pk])
    response = staff_client.post(url, {"registration": registration.pk, **data}, follow=True)
    assert message in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended_count == 0


def test_check_in_of_another_events_sign_up_is_not_found(staff_client, event):
    other = RegistrationFactory()
    url = reverse("outreach:staff_check_in", args=[event.pk])
    response = staff_client.post(url, {"registration": other.pk, "count": 1})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.attended_count == 0


def test_check_in_page_loads_the_vendored_scanner(staff_client, event):
    body = staff_client.get(reverse("outreach:staff_check_in", args=[event.pk])).content.decode()
    assert "/static/vendor/html5-qrcode-2.3.8/html5-qrcode.min.js" in body
    assert 'name="viewport"' in body


# --- lecture requests


@pytest.fixture
def lecture_request(db):
    from outreach.services.speakers import lecture_request_create
    from tests.factories import TownFactory

    topic = LectureTopicFactory(title="走近北斗导航")
    return lecture_request_create(
        team=topic.team,
        topic=topic,
        organisation="新仓镇中心小学",
        town=TownFactory(name="新仓镇"),
        contact_name="李老师",
        contact_phone="13955556666",
        preferred_date=(NOW + timedelta(days=20)).date(),
        audience=AudienceFactory(),
        expected_attendance=120,
    )


def test_school_requests_a_lecture_from_a_team_page(client, db):
    topic = LectureTopicFactory(title="走近北斗导航")
    from tests.factories import TownFactory

    town = TownFactory(name="新仓镇")
    audience = AudienceFactory()
    data = {
        "topic": topic.pk,
        "organisation": "新仓镇中心小学",
        "town": town.pk,
        "contact_name": "李老师",
        "contact_phone": "13955556666",
        "preferred_date": "2026-06-20",
        "audience": audience.pk,
        "expected_attendance": 120,
    }
    url = topic.team.get_absolute_url()
    response = client.post(url, data, follow=True)
    assert "点单申请已提交" in response.content.decode()
    assert LectureRequest.objects.get().status == LectureRequest.Status.SUBMITTED
    bad = client.post(url, {**data, "preferred_date": "2026-05-01", "contact_phone": "123"})
    assert bad.status_code == 400
    assert "希望日期应晚于今天。" in bad.content.decode()
    assert "请输入有效的11位手机号码。" in bad.content.decode()
    assert LectureRequest.objects.count() == 1


def test_staff_accept_a_lecture_request_which_creates_an_event(
    staff_client, lecture_request, django_capture_on_commit_callbacks
):
    from tests.helpers import sent_sms

    url = reverse("outreach:staff_lecture_request", args=[lecture_request.pk])
    data = {
        "action": "accept",
        "accept-starts_at": "2026-06-20T14:00",
        "accept-ends_at": "2026-06-20T15:30",
    }
    asked = staff_client.post(url, data).content.decode()
    assert "确定受理新仓镇中心小学的申请吗？" in asked
    assert 'name="accept-starts_at" value="2026-06-20T14:00"' in asked
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url
    lecture_request.refresh_from_db()
    event = lecture_request.event
    assert lecture_request.status == LectureRequest.Status.ACCEPTED
    assert (event.title, event.kind, event.status) == ("走近北斗导航", "lecture", "draft")
    assert "已安排在6月20日 14:00" in sent_sms("13955556666")[-1][1]


def test_staff_decline_a_lecture_request_with_a_reason(staff_client, lecture_request):
    url = reverse("outreach:staff_lecture_request", args=[lecture_request.pk])
    data = {"action": "decline", "decline-reason": "讲师档期已满"}
    asked = staff_client.post(url, data).content.decode()
    assert "确定回复新仓镇中心小学未能安排这次讲座吗？" in asked
    assert 'name="decline-reason" value="讲师档期已满"' in asked
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.SUBMITTED
    staff_client.post(url, {**data, "confirmed": "yes"})
    lecture_request.refresh_from_db()
    assert lecture_request.status == LectureRequest.Status.DECLINED
    assert lecture_request.decline_reason == "讲师档期已满"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("manager_user", 404), ("public_user", 403), ("enterprise_user", 403)],
)
def test_lecture_requests_are_hidden_from_others(request, login, lecture_request, role, expected):
    client = login(request.getfixturevalue(role))
    url = reverse("outreach:staff_lecture_request", args=[lecture_request.pk])
    assert client.get(url).status_code == expected


# --- the admin, scoped for organisation managers


def test_manager_admin_lists_only_own_events(login, manager_user, manager_event, other_event):
    response = login(manager_user).get(reverse("admin:outreach_event_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert manager_event.title in body
    assert other_event.title not in body


def test_manager_cannot_open_another_organisers_event_in_the_admin(
    login, manager_user, other_event
):
    client = login(manager_user)
    response = client.get(reverse("admin:outreach_event_change", args=[other_event.pk]))
    assert response.status_code in (302, 403, 404)
    assert other_event.title not in response.content.decode()


def test_manager_sees_only_own_events_registrations_in_the_admin(
    login, manager_user, manager_event, other_event
):
    RegistrationFactory(event=manager_event, name="自家报名者")
    RegistrationFactory(event=other_event, name="别家报名者")
    body = login(manager_user).get(reverse("admin:outreach_registration_changelist")).content
    assert "自家报名者" in body.decode()
    assert "别家报名者" not in body.decode()


def test_moving_an_event_in_the_admin_tells_its_registrants(
    staff_client, event, django_capture_on_commit_callbacks
):
    from tests.helpers import sent_sms

    RegistrationFactory(event=event, phone="13900000001")
    url = reverse("admin:outreach_event_change", args=[event.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key in form.fields
    }
    data.update(
        {
            "audiences": [a.pk for a in event.audiences.all()],
            "venue": event.venue_id,
            "starts_at_0": "2026-06-09",
            "starts_at_1": "10:00",
            "ends_at_0": "2026-06-09",
            "ends_at_1": "12:00",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
            "reach_entries-TOTAL_FORMS": 0,
            "reach_entries-INITIAL_FORMS": 0,
        }
    )
    for key in ["starts_at", "ends_at", "signup_opens_at", "signup_closes_at"]:
        data.pop(key, None)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.schedule_version == 2
    assert "变更通知" in sent_sms("13900000001")[-1][1]


def _admin_add_data(**overrides):
    audience = AudienceFactory()
    return {
        "title": "新的科普讲座",
        "kind": "lecture",
        "status": "draft",
        "audiences": [audience.pk],
        "starts_at_0": "2026-07-01",
        "starts_at_1": "09:00",
        "ends_at_0": "2026-07-01",
        "ends_at_1": "11:00",
        "max_party_size": 3,
        "sessions-TOTAL_FORMS": 0,
        "sessions-INITIAL_FORMS": 0,
        "reach_entries-TOTAL_FORMS": 0,
        "reach_entries-INITIAL_FORMS": 0,
        **overrides,
    }


def test_manager_must_name_their_organisation_when_adding_an_event(login, manager_user):
    client = login(manager_user)
    response = client.post(reverse("admin:outreach_event_add"), _admin_add_data())
    assert response.status_code == 200
    assert "请选择主办的学会或基层组织。" in response.content.decode()
    assert not Event.objects.exists()


def test_manager_adds_an_event_for_their_branch(login, manager_user, manager_branch):
    client = login(manager_user)
    data = _admin_add_data(branch=manager_branch.pk)
    response = client.post(reverse("admin:outreach_event_add"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.branch == manager_branch


def test_manager_cannot_add_an_event_for_another_organisation(login, manager_user):
    other = SocietyFactory()
    client = login(manager_user)
    response = client.post(reverse("admin:outreach_event_add"), _admin_add_data(society=other.pk))
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_admin_refuses_fewer_seats_than_are_taken(staff_client, event):
    for _ in range(5):
        RegistrationFactory(event=event)
    url = reverse("admin:outreach_event_change", args=[event.pk])
    data = _admin_add_data(title=event.title, status="published", capacity=4)
    response = staff_client.post(url, data)
    assert "名额不能少于已确认的5人。" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 10


def test_admin_form_shows_the_status_read_only(staff_client, event):
    # Finishing also marks no-shows and adds up the reach: only the action does that.
    url = reverse("admin:outreach_event_change", args=[event.pk])
    staff_client.post(url, _admin_add_data(title=event.title, status="finished"))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_admin_action_finishes_a_past_event_and_adds_up_its_reach(staff_client):
    past = EventFactory(starts_at=NOW - timedelta(days=2))
    RegistrationFactory(event=past, party_size=2, status="attended", attended_count=2)
    absent = RegistrationFactory(event=past)
    staff_client.post(
        reverse("admin:outreach_event_changelist"),
        {"action": "finish_events", "_selected_action": [past.pk]},
    )
    past.refresh_from_db()
    absent.refresh_from_db()
    assert (past.status, past.checked_in_count, past.reach_total) == ("finished", 2, 2)
    assert absent.status == Registration.Status.NO_SHOW


def test_admin_action_cancels_events_and_their_registrants_are_told(
    staff_client, event, django_capture_on_commit_callbacks
):
    from tests.helpers import sent_sms

    RegistrationFactory(event=event, phone="13900000001")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:outreach_event_changelist"),
            {"action": "cancel_events", "_selected_action": [event.pk]},
        )
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert "已取消" in sent_sms("13900000001")[0][1]


@pytest.mark.parametrize(
    "path",
    [
        "/events/99999999999999999999/",
        "/venues/99999999999999999999/",
        "/events/campaigns/99999999999999999999/feed.ics",
        "/events/99999999999999999999/event.ics",
        "/events/?town=99999999999999999999&venue=-1&campaign=1e9&audience=x",
        "/events/r/%00/",
        "/events/speakers/99999999999999999999/",
        "/events/?q=%00",
        "/events/?q=%00%E8%AE%B2&date_from=%00",
        "/venues/?kind=%00&town=%00",
    ],
)
def test_out_of_range_ids_and_odd_input_never_fail(client, db, path):
    assert client.get(path).status_code in (200, 404)


# Queries of the check-in page: 1-2 session and user, 3-6 the event with seats,
# audiences, sessions and reach, 7 the matching sign-ups, 8 the counts.
@pytest.mark.parametrize("rows", [5, 200])
def test_check_in_page_query_count_does_not_grow(
    staff_client, event, django_assert_max_num_queries, rows
):
    event.capacity = 1000
    event.save()
    for _ in range(rows):
        RegistrationFactory(event=event, name="王同名")
    url = reverse("outreach:staff_check_in", args=[event.pk])
    with django_assert_max_num_queries(8):
        response = staff_client.get(url, {"q": "王同名"})
    assert len(response.context["results"]) == min(rows, 20)


# Queries of the speaker team pages: 1 the teams (or team), 2 their active topics
# with speakers, 3 the topics' audiences, 4 the members; the request form adds
# 5 the team's topics, 6 towns, 7 audiences.
@pytest.mark.parametrize("rows", [5, 200])
def test_speaker_pages_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    team = SpeakerTeamFactory()
    for _ in range(rows):
        LectureTopicFactory(team=team)
    with django_assert_max_num_queries(4):
        client.get(reverse("outreach:speaker_team_list"))
    with django_assert_max_num_queries(7):
        client.get(team.get_absolute_url())
