"""The report's figures against values worked out by hand from the data set
described in ``conftest.py``."""

from django.utils import translation

from kexie.portal.reports import selectors
from tests.reports.conftest import context


def rows(table):
    return [list(row) for row in table.rows]


def test_events_and_reach_by_month_count_finished_events_of_the_year(staff_ctx):
    table = selectors.events_trend(staff_ctx)
    by_month = {row[0]: row[1:] for row in table.rows}
    assert by_month["3月"] == [2, 150]
    assert by_month["7月"] == [2, 50]
    # 23:30 on 31 December in Pinghu is still December, whatever UTC says.
    assert by_month["12月"] == [1, 5]
    assert by_month["8月"] == [0, 0]
    assert table.rows[-1] == ["合计", 5, 205]
    assert len(table.rows) == 13


def test_english_names_the_months_of_the_trend(staff_ctx):
    with translation.override("en"):
        table = selectors.events_trend(staff_ctx)
    labels = [row[0] for row in table.rows]
    assert labels[:3] == ["Jan", "Feb", "Mar"]
    assert labels[11] == "Dec"


def test_range_of_years_is_shown_by_year(report_data):
    table = selectors.events_trend(context(first=2024, last=2025))
    assert rows(table) == [["2024年", 1, 999], ["2025年", 5, 205], ["合计", 6, 1204]]
    assert table.title == "各年活动场次与受众人次"


def test_events_by_campaign(staff_ctx):
    assert rows(selectors.events_by_campaign(staff_ctx)) == [
        ["科普大篷车", 2, 130],
        ["未归入品牌", 3, 75],
    ]


def test_events_by_audience_count_an_event_in_each_of_its_groups(staff_ctx):
    table = {row[0]: row[1:] for row in selectors.events_by_audience(staff_ctx).rows}
    assert table["青少年"] == [2, 150]
    assert table["老年人"] == [2, 80]
    assert table["农民"] == [0, 0]


def test_events_by_town_use_the_venue_and_put_online_events_last(staff_ctx):
    assert rows(selectors.events_by_town(staff_ctx)) == [
        ["独山港镇", 2, 105],
        ["广陈镇", 2, 70],
        ["线上或地点未定", 1, 30],
    ]


def test_events_by_organiser(staff_ctx):
    assert rows(selectors.events_by_organiser(staff_ctx)) == [
        ["当湖街道科协", 1, 100],
        ["东湖村科协", 1, 50],
        ["平湖市机械工程学会", 1, 30],
        ["广陈镇科协", 2, 25],
    ]


def test_youth_sessions_count_each_meeting_of_a_course(staff_ctx):
    assert rows(selectors.youth(staff_ctx)) == [
        ["面向青少年的活动", 2],
        ["青少年活动场次（课程按课时计）", 3],
        ["服务学生人次", 150],
    ]


def test_venues_by_kind_and_level_leave_out_closed_venues(staff_ctx):
    table = selectors.venues_by_kind(staff_ctx)
    counts = dict(table.rows)
    assert counts["科普教育基地"] == 2
    assert counts["科普e站"] == 1
    assert counts["科技馆"] == 0
    assert counts["其中科普教育基地（省级）"] == 1
    assert counts["其中科普教育基地（地市级）"] == 1
    assert counts["其中科普教育基地（国家级）"] == 0
    assert table.rows[-1] == ["合计", 3]
    assert table.figures == [("科普教育基地", 2), ("其中地市级及以上", 2)]


def test_idle_venues_had_no_event_in_six_months(staff_ctx):
    assert rows(selectors.idle_venues(staff_ctx)) == [
        ["九龙山基地", "科普教育基地", "独山港镇", "从未举办"],
        ["广陈科普e站", "科普e站", "广陈镇", "2025-07-05"],
    ]


def test_registrations_check_in_and_no_show_rates(staff_ctx):
    assert dict(selectors.registrations(staff_ctx).rows) == {
        "报名数": 6,
        "报名人数（含同行）": 9,
        "已签到的报名": 2,
        "未到场的报名": 2,
        "已取消的报名": 1,
        "候补中的报名": 1,
        "签到人数": 3,
        "签到率（%）": 50.0,
        "未到场率（%）": 50.0,
    }


def test_branches_by_kind_and_three_heads_coverage(staff_ctx):
    counts = dict(selectors.branches(staff_ctx).rows)
    assert counts["镇街道科协"] == 2
    assert counts["村科协"] == 1
    assert counts["合计"] == 3
    heads = selectors.three_heads(staff_ctx)
    complete = {row[0]: row[-1] for row in heads.rows}
    assert complete == {"当湖街道科协": "已配齐", "广陈镇科协": "未配齐"}
    assert heads.figures == [("已配齐“三长”的镇街道科协", "1 / 2"), ("配齐率（%）", 50.0)]


def test_honors_by_level_of_the_year(staff_ctx):
    assert rows(selectors.honors(staff_ctx)) == [
        ["国家级", 1],
        ["省级", 2],
        ["地市级", 0],
        ["县级", 1],
        ["合计", 4],
    ]


def test_contest_projects_by_domain_count_a_project_once(staff_ctx):
    counts = dict(selectors.contest(staff_ctx).rows)
    assert counts["数字赋能"] == 2
    assert counts["安全生产"] == 1
    assert counts["合计"] == 3


def test_needs_figures_median_response_and_satisfaction(staff_ctx):
    assert selectors.first_response_days(staff_ctx) == [2.0, 4.0, 10.0] or sorted(
        selectors.first_response_days(staff_ctx)
    ) == [2.0, 4.0, 10.0]
    assert dict(selectors.needs(staff_ctx).rows) == {
        "收到需求": 3,
        "发布需求": 4,
        "匹配专家": 2,
        "已解决": 1,
        "首次响应天数（中位数）": 4.0,
        "专家响应次数": 4,
        "参与响应的专家": 2,
        "服务评价数": 2,
        "满意度（平均总体评分，满分5分）": 4.5,
    }


def test_headline_quotes_the_main_figures(staff_ctx):
    headline = dict(selectors.headline(selectors.dashboard(staff_ctx)))
    assert headline == {
        "活动场次": 5,
        "受众人次": 205,
        "青少年活动场次": 3,
        "服务学生人次": 150,
        "科普教育基地": 2,
        "获得荣誉": 4,
        "比拼赛项目": 3,
        "解决技术需求": 1,
    }


def test_headline_reads_figures_by_name_not_by_row(staff_ctx):
    tables = selectors.dashboard(staff_ctx)
    expected = selectors.headline(tables)
    for table in tables.values():
        table.rows.reverse()
    assert selectors.headline(tables) == expected


def test_empty_year_gives_zeros_not_errors(report_data):
    ctx = context(first=2030, last=2030)
    tables = selectors.dashboard(ctx)
    assert tables["trend"].rows[-1] == ["合计", 0, 0]
    assert dict(tables["registrations"].rows)["签到率（%）"] == "—"
    assert dict(tables["needs"].rows)["首次响应天数（中位数）"] == "—"
