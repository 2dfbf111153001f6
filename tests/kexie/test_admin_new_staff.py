"""A colleague added by staff in the admin works from their first log-in."""

import pytest
from django.test import Client
from django.urls import reverse

from kexie.platform.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "Kx-new-colleague-2026!"


def _add(client, **fields):
    data = {
        "name": "新同事",
        "email": "new@example.cn",
        "phone": "",
        "role": "staff",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "_save": "1",
    }
    return client.post(reverse("admin:accounts_user_add"), {**data, **fields})


def _logged_in_as_new(email="new@example.cn") -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_staff_added_in_the_admin_reach_the_workbench_and_the_admin_on_day_one(login, staff_user):
    assert _add(login(staff_user)).status_code == 302

    colleague = _logged_in_as_new()

    assert colleague.get(reverse("workbench:home")).status_code == 200
    assert colleague.get(reverse("admin:index")).status_code == 200
    assert colleague.get(reverse("admin:outreach_event_add")).status_code == 200


@pytest.mark.parametrize(("role", "admin_access"), [("manager", True), ("public", False)])
def test_the_role_chosen_when_adding_decides_admin_access(login, staff_user, role, admin_access):
    _add(login(staff_user), role=role)

    assert User.objects.get(email="new@example.cn").is_staff is admin_access


def test_a_staff_account_cannot_be_saved_without_admin_access(login, staff_user):
    colleague = UserFactory(role="staff", is_staff=True, email="colleague@example.cn")
    client = login(staff_user)
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name not in {"password", "is_staff", "groups", "user_permissions", "last_login"}
        and value is not None
    }
    data.update(
        {
            "date_joined_0": colleague.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": colleague.date_joined.strftime("%H:%M:%S"),
        }
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_staff"] == [
        "科协工作人员和组织管理员需要勾选“可进入管理后台”。"
    ]
    colleague.refresh_from_db()
    assert colleague.is_staff
