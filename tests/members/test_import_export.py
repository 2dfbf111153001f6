"""Excel import (preview first, nothing written until every row is valid) and
export of filtered lists."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Branch, Honor, Person
from tests.factories import PersonFactory
from tests.members.factories import HonorFactory

pytestmark = pytest.mark.django_db

PERSON_HEADERS = [
    "姓名",
    "性别",
    "出生年份",
    "职称",
    "工作单位",
    "手机号码",
    "电子邮箱",
    "所属基层组织",
]


def workbook(headers, rows, name="people.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def preview(client, upload, model="person"):
    return client.post(
        reverse(f"admin:members_{model}_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_import_preview_lists_each_rows_errors_and_imports_nothing(staff_client, manager_branch):
    PersonFactory(phone="13905730009")
    upload = workbook(
        PERSON_HEADERS,
        [
            ["张三", "男", 1980, "工程师", "甲公司", "13905730001", "a@example.cn", "当湖街道科协"],
            ["李四", "女", 1985, "医师", "乙医院", "12345", "b@example.cn", ""],
            ["王五", "男", 1990, "教师", "丙学校", "13905730002", "", "不存在的科协"],
            ["赵六", "男", 1970, "", "", "13905730003", "", ""],
            ["钱七", "女", 1975, "", "", "139 0573 0003", "", ""],
        ],
    )
    response = preview(staff_client, upload)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert "请输入有效的11位手机号码。" in page
    assert "找不到基层组织“不存在的科协”。" in page
    assert "手机号码 13905730003 在文件中出现了不止一次。" in page
    invalid_rows = {row.number for row in result.invalid_rows}
    assert invalid_rows == {2, 3, 4, 5}
    assert Person.objects.count() == 1


def test_a_valid_import_is_previewed_then_confirmed(staff_client, manager_branch):
    existing = PersonFactory(name="旧名字", phone="13905730009")
    upload = workbook(
        PERSON_HEADERS,
        [
            ["张三", "男", 1980, "工程师", "甲公司", "13905730001", "a@example.cn", "当湖街道科协"],
            ["新名字", "", "", "", "", 13905730009, "", ""],
            ["无号码", "", "", "", "", "", "", ""],
        ],
    )
    response = preview(staff_client, upload)
    assert not response.context["result"].has_validation_errors()
    assert Person.objects.count() == 1  # the preview is a dry run
    confirm = response.context["confirm_form"]
    response = staff_client.post(
        reverse("admin:members_person_process_import"), confirm.initial, follow=True
    )
    assert response.status_code == 200
    assert Person.objects.count() == 3
    zhang = Person.objects.get(phone="13905730001")
    assert (zhang.name, zhang.gender, zhang.branch) == ("张三", "male", manager_branch)
    existing.refresh_from_db()
    assert existing.name == "新名字"  # matched by phone and updated


def test_branch_import_reports_an_unknown_parent(staff_client, manager_branch):
    upload = workbook(
        ["名称", "类型", "所在镇街道", "上级组织"],
        [
            ["新村科协", "村科协", "当湖街道", "当湖街道科协"],
            ["孤村科协", "村科协", "当湖街道", "没有这个组织"],
            ["怪组织", "火星科协", "当湖街道", ""],
        ],
        name="branches.xlsx",
    )
    response = preview(staff_client, upload, model="branch")
    page = response.content.decode()
    assert "找不到上级组织“没有这个组织”。" in page
    assert "“火星科协”不是有效的选项" in page
    assert not Branch.objects.filter(name="新村科协").exists()


def test_a_file_that_is_not_excel_gets_a_clear_error(staff_client, db):
    fake = SimpleUploadedFile(
        "people.xlsx", "姓名,手机号码\n张三,13905730001\n".encode(), content_type="text/csv"
    )
    response = preview(staff_client, fake)
    assert response.status_code == 200
    assert (
        "文件“people.xlsx”不是 Excel 工作簿（.xlsx），请另存为 .xlsx 后再导入。"
        in response.content.decode()
    )
    assert not Person.objects.exists()


def test_managers_may_neither_import_nor_export(manager_client):
    assert manager_client.get(reverse("admin:members_person_import")).status_code == 403
    assert manager_client.get(reverse("admin:members_person_export")).status_code == 403


def test_export_of_a_filtered_list_holds_only_the_filtered_rows(staff_client, db):
    HonorFactory(name="国家级奖", level=Honor.Level.NATIONAL)
    HonorFactory(name="县级奖", level=Honor.Level.COUNTY)
    url = reverse("admin:members_honor_export") + "?level__exact=national"
    form = staff_client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update({"format": "0", "resource": "0"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("年度", "级别", "荣誉名称")
    assert [row[2] for row in rows[1:]] == ["国家级奖"]
    assert rows[1][1] == "国家级"


def test_imported_rows_are_saved_by_the_services_under_their_locks(
    staff_client, staff_user, manager_branch, monkeypatch
):
    from members import services

    locked = []
    lock = services._lock_ancestors
    monkeypatch.setattr(
        services, "_lock_ancestors", lambda branch: locked.append(branch) or lock(branch)
    )
    upload = workbook(
        ["名称", "类型", "所在镇街道", "上级组织"],
        [["新村科协", "村科协", "当湖街道", "当湖街道科协"]],
        name="branches.xlsx",
    )
    response = preview(staff_client, upload, model="branch")
    assert Branch.objects.filter(name="新村科协").count() == 0
    staff_client.post(
        reverse("admin:members_branch_process_import"),
        response.context["confirm_form"].initial,
        follow=True,
    )
    village = Branch.objects.get(name="新村科协")
    assert village.parent == manager_branch
    assert manager_branch in locked  # branch_save locked the new parent's line
    assert village.history.get().history_user == staff_user


def test_an_imported_person_is_kept_in_the_services_form(staff_client, staff_user, db):
    upload = workbook(
        PERSON_HEADERS, [["  张三 ", "男", 1980, "", "", "139 0573 0001", "A@Example.CN", ""]]
    )
    response = preview(staff_client, upload)
    staff_client.post(
        reverse("admin:members_person_process_import"),
        response.context["confirm_form"].initial,
        follow=True,
    )
    person = Person.objects.get()
    assert (person.name, person.phone, person.email) == ("张三", "13905730001", "a@example.cn")
    assert person.history.get().history_user == staff_user
