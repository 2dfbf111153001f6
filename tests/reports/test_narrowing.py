"""A report narrowed to one society or one branch (and those under it)."""

import pytest

from tests.reports.test_views import _sheet


def test_staff_narrow_to_a_branch_and_those_under_it(report_data, staff_client):
    response = staff_client.get(f"/staff/reports/?year=2025&branch={report_data.b1.pk}")
    body = response.content.decode()
    assert "统计范围：当湖街道科协" in body
    assert f"/staff/reports/export/trend.xlsx?year=2025&amp;branch={report_data.b1.pk}" in body
    assert response.context["tables"]["trend"].rows[-1] == ["合计", 2, 150]


def test_staff_narrow_to_a_society(report_data, staff_client):
    response = staff_client.get(f"/staff/reports/?year=2025&society={report_data.s1.pk}")
    assert response.context["tables"]["trend"].rows[-1] == ["合计", 1, 30]
    assert response.context["tables"]["honors"].rows[-1] == ["合计", 1]


def test_narrowed_export_keeps_the_scope(report_data, staff_client):
    response = staff_client.get(
        f"/staff/reports/export/organisers.xlsx?year=2025&society={report_data.s1.pk}"
    )
    rows = list(_sheet(response).values)
    assert rows[0][0] == "平湖市机械工程学会 · 2025年 · 按主办单位"
    assert [row[0] for row in rows[2:]] == ["平湖市机械工程学会"]


def test_manager_may_narrow_to_a_branch_under_theirs(report_data, manager_user, login):
    response = login(manager_user).get(f"/staff/reports/?year=2025&branch={report_data.b1c.pk}")
    assert response.status_code == 200
    assert response.context["tables"]["trend"].rows[-1] == ["合计", 1, 50]


@pytest.mark.parametrize("param", ["branch", "society"])
def test_manager_gets_404_for_an_organisation_outside_theirs(
    param, report_data, manager_user, login
):
    pk = report_data.b2.pk if param == "branch" else report_data.s1.pk
    response = login(manager_user).get(f"/staff/reports/?year=2025&{param}={pk}")
    assert response.status_code == 404


def test_unknown_branch_is_404(report_data, staff_client):
    assert staff_client.get("/staff/reports/?branch=999999").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("branch=abc", "组织编号须是数字。"),
        ("society=-1", "组织编号须是数字。"),
        ("branch=1&society=1", "只能选择一个学会或一个基层组织。"),
    ],
)
def test_bad_organisation_parameters_get_a_clear_message(query, message, staff_client):
    response = staff_client.get(f"/staff/reports/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
