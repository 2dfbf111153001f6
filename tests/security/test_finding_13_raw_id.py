"""Issue 18, finding 13: a manager cannot learn an account's name by typing
its id into a raw-id field, nor link an account they cannot see."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger():
    return UserFactory(name="外单位的秘密用户")


def test_finding_13_a_typed_account_id_shows_no_name_to_a_manager(manager_client, stranger):
    page = manager_client.get(reverse("admin:members_person_add") + f"?user={stranger.pk}")
    assert page.status_code == 200
    assert "外单位的秘密用户" not in page.content.decode()


def test_finding_13_a_manager_cannot_link_an_account_they_cannot_see(
    manager_client, manager_branch, stranger
):
    person = PersonFactory(name="本街道科技工作者", branch=manager_branch)
    url = reverse("admin:members_person_change", args=[person.pk])
    form = {
        "name": person.name,
        "gender": person.gender or "",
        "branch": manager_branch.pk,
        "user": stranger.pk,
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
    }
    response = manager_client.post(url, form)
    assert response.status_code == 200  # refused, with the form again
    assert "外单位的秘密用户" not in response.content.decode()
    person.refresh_from_db()
    assert person.user_id is None
    # The same form without the account saves.
    assert manager_client.post(url, {**form, "user": ""}).status_code == 302


def test_finding_13_the_account_already_linked_keeps_its_label(manager_client, manager_branch):
    linked = UserFactory(name="已关联的用户")
    person = PersonFactory(name="本街道科技工作者", branch=manager_branch, user=linked)
    page = manager_client.get(reverse("admin:members_person_change", args=[person.pk]))
    assert "已关联的用户" in page.content.decode()


def test_finding_13_staff_still_see_any_account(staff_client, stranger):
    page = staff_client.get(reverse("admin:members_person_add") + f"?user={stranger.pk}")
    assert "外单位的秘密用户" in page.content.decode()
