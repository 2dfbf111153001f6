"""An organisation manager sees the same figures limited to their branch
(当湖街道科协) and the village branch under it (东湖村科协)."""

from kexie.portal.reports import selectors


def test_manager_events_are_those_of_their_branches(manager_ctx):
    assert selectors.events_trend(manager_ctx).rows[-1] == ["合计", 2, 150]
    assert [row[0] for row in selectors.events_by_organiser(manager_ctx).rows] == [
        "当湖街道科协",
        "东湖村科协",
    ]


def test_manager_registrations_are_those_of_their_events(manager_ctx):
    figures = dict(selectors.registrations(manager_ctx).rows)
    assert figures["报名数"] == 4
    assert figures["签到率（%）"] == 66.7


def test_manager_sees_venues_their_events_used(manager_ctx):
    assert selectors.venues_by_kind(manager_ctx).rows[-1] == ["合计", 2]
    assert [row[0] for row in selectors.idle_venues(manager_ctx).rows] == ["广陈科普e站"]


def test_manager_branches_and_three_heads_are_their_own(manager_ctx):
    counts = dict(selectors.branches(manager_ctx).rows)
    assert counts["合计"] == 2
    heads = selectors.three_heads(manager_ctx)
    assert [row[0] for row in heads.rows] == ["当湖街道科协"]
    assert heads.figures[0] == ("已配齐“三长”的镇街道科协", "1 / 1")


def test_manager_honors_include_people_of_their_branches(manager_ctx):
    counts = dict(selectors.honors(manager_ctx).rows)
    assert counts["国家级"] == 1
    assert counts["省级"] == 0
    assert counts["合计"] == 2


def test_manager_contest_projects_count_a_shared_project_once(manager_ctx):
    counts = dict(selectors.contest(manager_ctx).rows)
    assert counts["数字赋能"] == 1
    assert counts["合计"] == 1


def test_manager_needs_are_those_of_enterprises_in_their_towns(manager_ctx):
    figures = dict(selectors.needs(manager_ctx).rows)
    assert figures["收到需求"] == 1
    assert figures["发布需求"] == 2
    assert figures["首次响应天数（中位数）"] == 2.0
    assert figures["满意度（平均总体评分，满分5分）"] == 5.0


def test_manager_dashboard_page_names_their_organisation(report_data, manager_user, login):
    response = login(manager_user).get("/staff/reports/?year=2025")
    assert response.status_code == 200
    assert "统计范围：当湖街道科协" in response.content.decode()
    assert "平湖市机械工程学会" not in response.content.decode()
