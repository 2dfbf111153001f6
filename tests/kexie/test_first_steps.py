"""Each new account is led to its first step, by role; the apps say which."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "first_step"),
    [("public", "home"), ("expert", "experts:expert_apply")],
)
def test_registration_leads_each_role_to_its_first_step(client, role, first_step):
    form = {
        "name": "新用户",
        "phone": "13900001111",
        "email": "new@example.org",
        "role": role,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
    }
    response = client.post(reverse("accounts:register"), form)
    assert response.status_code == 302
    assert response.url == reverse(first_step)
