"""The staff home (工作台): what waits for staff and managers, each row a
link to where it is done, in a fixed number of queries; a registry other
features add blocks to."""

from datetime import timedelta

import pytest
from django.urls import reverse

from experts.models import TechNeed
from kexie.portal.workbench import registry
from outreach.models import LectureRequest, Registration
from tests.experts.factories import NeedFactory
from tests.factories import SocietyFactory, TownFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import (
    AudienceFactory,
    EventFactory,
    LectureTopicFactory,
    RegistrationFactory,
    SpeakerTeamFactory,
)

pytestmark = pytest.mark.django_db

URL = "/staff/"
S = TechNeed.Status


def _lecture_request(team, organisation="新仓镇中心小学") -> LectureRequest:
    return LectureRequest.objects.create(
        team=team,
        topic=LectureTopicFactory(team=team, title="走近北斗导航"),
        organisation=organisation,
        town=TownFactory(name="新仓镇"),
        contact_name="李老师",
        contact_phone="13955556666",
        preferred_date=(NOW + timedelta(days=20)).date(),
        audience=AudienceFactory(),
        expected_attendance=120,
    )


@pytest.fixture
def world(manager_branch):
    other_society = SocietyFactory(name="平湖市医学会")
    today = EventFactory(
        title="当湖街道亲子科学课", branch=manager_branch, starts_at=NOW + timedelta(hours=4)
    )
    tomorrow = EventFactory(
        title="医学会健康讲座", society=other_society, starts_at=NOW + timedelta(days=1)
    )
    EventFactory(title="下周的讲座", branch=manager_branch, starts_at=NOW + timedelta(days=7))
    signed = RegistrationFactory(event=today, name="王家长", party_size=3, created_at=NOW)
    RegistrationFactory(
        event=tomorrow,
        name="赵家长",
        status=Registration.Status.CANCELLED,
        created_at=NOW - timedelta(days=5),
        cancelled_at=NOW - timedelta(hours=1),
    )
    own_request = _lecture_request(SpeakerTeamFactory(name="当湖博士科普团", branch=manager_branch))
    other_request = _lecture_request(
        SpeakerTeamFactory(name="老科学家演讲团", society=other_society), "广陈镇中学"
    )
    to_review = NeedFactory(
        title="电池热管理求助", status=S.SUBMITTED, status_changed_at=NOW - timedelta(days=1)
    )
    stuck = NeedFactory(
        title="早就发布的需求", status=S.PUBLISHED, status_changed_at=NOW - timedelta(days=30)
    )
    return {
        "today": today,
        "tomorrow": tomorrow,
        "signed": signed,
        "own_request": own_request,
        "other_request": other_request,
        "to_review": to_review,
        "stuck": stuck,
    }


def test_staff_see_everything_that_waits_each_a_link_to_where_it_is_done(staff_client, world):
    response = staff_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for url in [
        world["to_review"].get_absolute_url(),
        world["stuck"].get_absolute_url(),
        reverse("outreach:staff_lecture_request", args=[world["own_request"].pk]),
        reverse("outreach:staff_lecture_request", args=[world["other_request"].pk]),
        reverse("outreach:staff_check_in", args=[world["today"].pk]),
        reverse("outreach:staff_check_in", args=[world["tomorrow"].pk]),
        reverse("outreach:staff_event_registrations", args=[world["today"].pk]),
        reverse("experts:review_queue"),
        reverse("outreach:staff_lecture_requests"),
    ]:
        assert f'href="{url}"' in body, url
    assert "王家长" in body
    assert "赵家长" in body  # the cancellation
    assert "下周的讲座" not in body
    names = [block["name"] for block in response.context["blocks"]]
    assert names == [
        "needs_to_review",
        "articles",
        "lecture_requests",
        "events_today_and_tomorrow",
        "stuck_needs",
        "recent_registrations",
        "feedback_results",
        "certificates",
        "privacy_desk",
    ]


def test_every_link_on_the_workbench_opens_for_staff(staff_client, world):
    import re

    body = staff_client.get(URL).content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', body)) - {"/accounts/logout/"}
    for link in sorted(links):
        if link.startswith(("/static/", "/language/")):
            continue
        status = staff_client.get(link.replace("&amp;", "&")).status_code
        assert status in (200, 302), (link, status)


def test_a_manager_sees_only_their_own_organisations_records(login, manager_user, world):
    response = login(manager_user).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "当湖街道亲子科学课" in body
    assert "王家长" in body
    assert reverse("outreach:staff_lecture_request", args=[world["own_request"].pk]) in body
    assert "医学会健康讲座" not in body
    assert "赵家长" not in body
    assert "广陈镇中学" not in body
    # 科协帮 is the association's own work.
    assert "电池热管理求助" not in body
    names = [block["name"] for block in response.context["blocks"]]
    assert names == [
        "articles",
        "lecture_requests",
        "events_today_and_tomorrow",
        "recent_registrations",
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("public_user", 403), ("enterprise_user", 403), ("expert_user", 403)],
)
def test_others_may_not_open_the_workbench(request, login, role, expected, db):
    assert login(request.getfixturevalue(role)).get(URL).status_code == expected


def test_a_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_menu_links_to_the_workbench_for_staff_and_managers_only(
    staff_client, login, manager_user, public_user, db
):
    link = f'href="{URL}"'
    assert link in staff_client.get("/events/").content.decode()
    assert link in login(manager_user).get("/events/").content.decode()
    assert link not in login(public_user).get("/events/").content.decode()
    staff_page = staff_client.get(reverse("outreach:staff_lecture_requests")).content.decode()
    assert link in staff_page
    assert "nav-link disabled" not in staff_page


def test_staff_and_managers_land_on_the_workbench_after_logging_in(
    client, staff_user, manager_user, public_user
):
    from tests.factories import TEST_PASSWORD

    for user, landing in [(staff_user, URL), (manager_user, URL), (public_user, "/")]:
        client.logout()
        response = client.post(
            reverse("accounts:login"),
            {"username": user.email or user.phone, "password": TEST_PASSWORD},
        )
        assert response["Location"] == landing, user
    response = client.post(
        reverse("accounts:login") + "?next=/events/",
        {"username": staff_user.email or staff_user.phone, "password": TEST_PASSWORD},
    )
    assert response["Location"] == "/events/"


def test_nothing_waiting_says_so(staff_client, db):
    body = staff_client.get(URL).content.decode()
    assert "没有待审核的需求。" in body
    assert "没有待答复的申请。" in body


def test_another_feature_adds_a_block(staff_client, db, settings, tmp_path):
    template = tmp_path / "articles_block.html"
    template.write_text("<section>待审核文章：{{ block.count }}</section>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    registry.register(
        "articles_to_review",
        order=15,
        template="articles_block.html",
        context=lambda request: {"count": 3},
    )
    registry.register(
        "nothing_today", order=16, template="articles_block.html", context=lambda request: None
    )
    try:
        response = staff_client.get(URL)
        names = [block["name"] for block in response.context["blocks"]]
        assert names[:2] == ["needs_to_review", "articles_to_review"]
        assert "nothing_today" not in names
        assert "待审核文章：3" in response.content.decode()
    finally:
        registry.unregister("articles_to_review")
        registry.unregister("nothing_today")


def test_stuck_needs_counts_them_all_and_lists_the_longest_waiting(staff_client, db):
    # Working days are counted only for the five shown, the count is of all eight.
    for days in range(20, 28):
        NeedFactory(
            title=f"滞留{days}天", status=S.PUBLISHED, status_changed_at=NOW - timedelta(days=days)
        )
    NeedFactory(title="刚发布", status=S.PUBLISHED, status_changed_at=NOW - timedelta(days=1))
    block = next(b for b in staff_client.get(URL).context["blocks"] if b["name"] == "stuck_needs")
    assert block["count"] == 8
    assert [item.need.title for item in block["items"]] == [
        f"滞留{days}天" for days in (27, 26, 25, 24, 23)
    ]
    assert [item.working_days for item in block["items"]] == [20, 19, 18, 17, 16]


# Queries for staff, each block rendered (inside a test's transaction the
# block cache is not used; test_workbench_cache.py covers it): 1 the session
# with its user; 2-3 needs to review (the list, and a count once the list is
# full); 4-5 lecture requests (the same); 6-7 events of today and tomorrow (the
# same); 8-10 the working-day calendar, the stuck needs shown and their count;
# 11-12 sign-up activity (counts, rows); 13-16 articles (to review and its
# count, the user's own drafts, what is scheduled); 17-18 feedback results
# (links per event, mean overall rating); 19-20 certificates (figures, events);
# 21-24 the privacy desk (one count per retention rule, the latest exports). A manager
# skips the 科协帮 and aftercare blocks and adds the scope (their
# organisations: one query, and one per level of the branch tree below).
@pytest.mark.parametrize("rows", [5, 200])
def test_workbench_query_count_does_not_grow(
    staff_client, login, manager_user, manager_branch, django_assert_max_num_queries, rows
):
    team = SpeakerTeamFactory(branch=manager_branch)
    for n in range(rows):
        event = EventFactory(
            branch=manager_branch, starts_at=NOW + timedelta(hours=2 + n % 30), capacity=1000
        )
        RegistrationFactory(event=event, created_at=NOW - timedelta(minutes=n))
        RegistrationFactory(
            event=event, status=Registration.Status.CANCELLED, cancelled_at=NOW, created_at=NOW
        )
        NeedFactory(status=S.SUBMITTED, status_changed_at=NOW - timedelta(days=1))
        NeedFactory(status=S.PUBLISHED, status_changed_at=NOW - timedelta(days=30))
    LectureRequest.objects.bulk_create(
        [
            LectureRequest(
                team=team,
                topic_text=f"题目{n}",
                organisation=f"学校{n}",
                town=manager_branch.town,
                contact_name="李老师",
                contact_phone="13955556666",
                preferred_date=(NOW + timedelta(days=20)).date(),
                audience=AudienceFactory(),
                expected_attendance=50,
            )
            for n in range(rows)
        ]
    )
    with django_assert_max_num_queries(24):
        assert staff_client.get(URL).status_code == 200
    manager = login(manager_user)
    with django_assert_max_num_queries(13):
        assert manager.get(URL).status_code == 200


def test_a_manager_without_an_organisation_is_told_why_the_workbench_is_empty(login):
    from kexie.platform.accounts.models import User
    from tests.factories import UserFactory

    newcomer = UserFactory(name="新管理员", role=User.Role.MANAGER, is_staff=True)
    page = login(newcomer).get(URL).content.decode()
    assert "还没有指定所管理的组织" in page
    assert "没有等待处理的事项" not in page


def test_a_manager_with_an_organisation_is_not_told_to_ask_for_one(login, manager_user):
    page = login(manager_user).get(URL).content.decode()
    assert "还没有指定所管理的组织" not in page


def test_the_user_admin_says_where_a_manager_is_given_an_organisation(login, staff_user):
    admin = login(staff_user)
    for url in (
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[staff_user.pk]),
    ):
        assert "学会与组织 › 组织管理员" in admin.get(url).content.decode()
