"""Each new account is led to its first step, by role; the apps say which."""

import pytest
from django.urls import reverse

from kexie.platform.outbox.models import Notification
from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "first_step"),
    [("public", "home"), ("expert", "experts:expert_apply")],
)
def test_registration_leads_each_role_to_its_first_step(client, role, first_step):
    form = {
        "name": "新用户",
        "contact": "13900001111",
        "role": role,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
    }
    client.post(reverse("accounts:register"), {**form, "send_code": "1"})
    # The code is still on its outbox row: this test's transaction never commits.
    code = Notification.objects.latest("pk").secret
    response = client.post(reverse("accounts:register"), {**form, "code": code})
    assert response.status_code == 302
    assert response.url == reverse(first_step)
