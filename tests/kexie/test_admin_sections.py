"""Every section of the admin's menu is named in the reader's language."""

from django.urls import reverse


def test_the_log_in_records_section_is_named_in_chinese_not_axes(staff_client):
    response = staff_client.get(reverse("admin:index"))

    names = {app["app_label"]: str(app["name"]) for app in response.context["app_list"]}
    assert names["axes"] == "登录安全"
