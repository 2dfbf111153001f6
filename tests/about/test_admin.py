"""Staff edit the profile in the admin: one record, saved by its service with
its history; bad input is refused field by field with nothing saved."""

import pytest
from django.urls import reverse

from kexie.portal.about.models import Department, Profile
from tests.sweeps.adminforms import form_data

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:about_profile_change", args=[1])
ADD = reverse("admin:about_profile_add")


def _post(client, url, **changes):
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_the_list_opens_the_form_to_create_then_the_one_record(staff_client, profile):
    Profile.objects.all().delete()
    assert staff_client.get(reverse("admin:about_profile_changelist"))["Location"] == ADD
    response = _post(
        staff_client,
        ADD,
        introduction='<p onclick="x()">简介<script>alert(1)</script></p>',
        address="平湖市当湖街道",
        telephone="0573 8500 0000",
        icp_number="浙ICP备 12345678号",
        psb_number="浙公网安备 33048202000123 号",
    )
    assert response.status_code == 302
    saved = Profile.objects.get()
    assert saved.introduction == "<p>简介</p>"
    assert saved.icp_number == "浙ICP备12345678号"
    assert saved.psb_number == "浙公网安备33048202000123号"
    assert saved.telephone == "0573 8500 0000"
    assert saved.history.first().history_user.name == "工作人员"
    assert staff_client.get(reverse("admin:about_profile_changelist"))["Location"] == CHANGE
    # One record: no second one, none deleted.
    assert staff_client.get(ADD).status_code == 403
    assert staff_client.get(reverse("admin:about_profile_delete", args=[1])).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "icp_number",
            "ICP12345678",
            "ICP备案号的格式应如“浙ICP备12345678号”或“浙ICP备12345678号-1”。",
        ),
        (
            "icp_number",
            "浙ICP备123号",
            "ICP备案号的格式应如“浙ICP备12345678号”或“浙ICP备12345678号-1”。",
        ),
        (
            "psb_number",
            "浙公网安备3304820200号",
            "公安备案号的格式应如“浙公网安备33048202000123号”（14位数字）。",
        ),
        ("postcode", "31420", "邮政编码是6位数字，如314200。"),
        ("telephone", "85000000", "请填写手机号码或带区号的固定电话。"),
        ("fax", "传真", "请填写手机号码或带区号的固定电话。"),
        ("email", "office@", "输入一个有效的 Email 地址。"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    staff_client, profile, field, value, message
):
    before = list(Profile.objects.values())
    versions = profile.history.count()
    response = _post(staff_client, CHANGE, **{field: value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert message in response.content.decode()
    assert list(Profile.objects.values()) == before
    assert profile.history.count() == versions


def test_a_department_with_a_bad_telephone_is_refused_and_nothing_saved(staff_client, profile):
    before = list(Department.objects.values())
    response = _post(
        staff_client,
        CHANGE,
        **{"departments-2-name": "新科室", "departments-2-telephone": "12345"},
    )
    assert response.status_code == 200
    assert "请填写手机号码或带区号的固定电话。" in response.content.decode()
    assert list(Department.objects.values()) == before


def test_departments_are_saved_with_their_history(staff_client, staff_user, profile):
    response = _post(
        staff_client,
        CHANGE,
        **{"departments-2-name": "科技服务部", "departments-2-telephone": "0573-85000004"},
    )
    assert response.status_code == 302
    added = Department.objects.get(name="科技服务部")
    assert added.history.get().history_user == staff_user


def test_the_change_history_names_who_changed_what(staff_client, staff_user, profile):
    _post(staff_client, CHANGE, telephone="0573-85111111")
    latest = profile.history.order_by("-history_id").first()
    assert latest.history_user == staff_user and latest.telephone == "0573-85111111"
    page = staff_client.get(reverse("admin:about_profile_history", args=[1]))
    assert page.status_code == 200


def test_a_department_removed_in_the_form_is_deleted_with_its_history(
    staff_client, staff_user, profile
):
    gone = profile.departments.first()
    response = _post(staff_client, CHANGE, **{"departments-0-DELETE": "on"})
    assert response.status_code == 302
    assert not Department.objects.filter(pk=gone.pk).exists()
    deleted = Department.history.filter(id=gone.pk, history_type="-").get()
    assert deleted.history_user == staff_user
