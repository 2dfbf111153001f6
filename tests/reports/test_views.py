"""Who may open the reports, what bad parameters get, the Excel export and
the printable annual report."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from kexie.platform.lib.spreadsheets import sheet_title
from kexie.portal.reports.excel import safe_cell
from kexie.portal.reports.selectors import TABLES
from members.models import Society

URLS = ["/staff/reports/", "/staff/reports/annual/", "/staff/reports/export/trend.xlsx"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff_user", 200),
        ("manager_user", 200),
        ("enterprise_user", 403),
        ("expert_user", 403),
        ("public_user", 403),
    ],
)
def test_permission_matrix(url, role, status, request, login):
    user = request.getfixturevalue(role)
    assert login(user).get(url).status_code == status


@pytest.mark.parametrize("url", URLS)
def test_logged_out_visitor_is_sent_to_log_in(url, client):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "年份须是四位数字的年份，例如 2025。"),
        ("year=１２", "年份须是四位数字的年份，例如 2025。"),
        ("year=1800", "年份须在 2000 到 2100 年之间。"),
        ("year=99999999999999999999", "年份须在 2000 到 2100 年之间。"),
        ("from=2025&to=2021", "起始年份不能晚于结束年份。"),
        ("from=2001&to=2025", "年份范围最多 10 年，请缩小范围。"),
        ("from=2021", "请同时填写起始年份和结束年份。"),
        ("from=2021&to=x", "结束年份须是四位数字的年份，例如 2025。"),
    ],
)
@pytest.mark.parametrize("page", ["/staff/reports/", "/staff/reports/export/trend.xlsx"])
def test_bad_parameters_get_a_clear_message(page, query, message, staff_client):
    response = staff_client.get(f"{page}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_table_is_named_in_the_message(staff_client):
    response = staff_client.get("/staff/reports/export/nonsense.xlsx?year=2025")
    assert response.status_code == 404
    assert "没有名为“nonsense”的报表。" in response.content.decode()


def test_five_year_review_page(report_data, staff_client):
    response = staff_client.get("/staff/reports/?from=2021&to=2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert "工作报表 · 2021—2025年" in body
    assert "各年活动场次与受众人次" in body


def test_dashboard_draws_charts_with_numbers_on_the_bars(report_data, staff_client):
    body = staff_client.get("/staff/reports/?year=2025").content.decode()
    assert body.count('<svg class="report-chart"') >= 6
    assert '<text x="' in body and ">150</text>" in body
    for name in TABLES:
        assert f"/staff/reports/export/{name}.xlsx?year=2025" in body


def test_annual_report_is_a_printable_a4_page(report_data, staff_client):
    response = staff_client.get("/staff/reports/annual/?year=2025")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2025年科协工作数据报告" in body
    assert "css/reports.css" in body
    assert "导出Excel" not in body


def _sheet(response):
    return load_workbook(
        BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active


def test_export_holds_the_table_of_the_dashboard(report_data, staff_client):
    response = staff_client.get("/staff/reports/export/organisers.xlsx?year=2025")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(_sheet(response).values)
    assert rows[0] == ("平湖市科协（全市） · 2025年 · 按主办单位", None, None)
    assert rows[1] == ("主办单位", "活动场次", "受众人次")
    assert rows[2] == ("当湖街道科协", 1, 100)
    assert rows[5] == ("广陈镇科协", 2, 25)


def test_export_of_a_manager_is_scoped(report_data, manager_user, login):
    response = login(manager_user).get("/staff/reports/export/organisers.xlsx?year=2025")
    names = [row[0] for row in list(_sheet(response).values)[2:]]
    assert names == ["当湖街道科协", "东湖村科协"]


def test_export_neutralises_formulas_in_names(report_data, staff_client):
    Society.objects.filter(pk=report_data.s1.pk).update(name='=HYPERLINK("http://x")')
    response = staff_client.get("/staff/reports/export/organisers.xlsx?year=2025")
    names = [row[0] for row in list(_sheet(response).values)[2:]]
    assert '\'=HYPERLINK("http://x")' in names


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_prefixes_formula_starts(text):
    assert safe_cell(text) == "'" + text


def test_safe_cell_keeps_numbers_and_plain_text():
    assert safe_cell(-5) == -5
    assert safe_cell("当湖街道") == "当湖街道"


def test_safe_cell_writes_a_lazy_choice_label_as_text():
    from django.utils.translation import gettext_lazy

    assert safe_cell(gettext_lazy("科普教育基地")) == "科普教育基地"


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_exports_on_the_english_pages(name, report_data, staff_client, settings):
    # English titles such as "Kexie Bang: …" hold characters a sheet's name may not.
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = staff_client.get(f"/staff/reports/export/{name}.xlsx?year=2025")
    assert response.status_code == 200
    assert _sheet(response).title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Kexie Bang: technical needs and expert services", "Kexie Bang technical needs and"),
        ("Events and people reached by month", "Events and people reached by"),
        ("a/b\\c?d*e[f]g", "a b c d e f g"),
        ("'报名名单'", "报名名单"),
        (":::", "Sheet"),
    ],
)
def test_sheet_title_keeps_only_what_excel_accepts(text, title):
    assert sheet_title(text) == title


def test_staff_find_the_town_by_town_three_heads_page_from_the_dashboard(staff_client):
    page = staff_client.get("/staff/reports/").content.decode()
    assert 'href="/staff/orgs/three-heads/"' in page
    assert staff_client.get("/staff/orgs/three-heads/").status_code == 200


def test_a_manager_is_not_shown_the_association_wide_three_heads_page(manager_user, login):
    page = login(manager_user).get("/staff/reports/").content.decode()
    assert "/staff/orgs/three-heads/" not in page
