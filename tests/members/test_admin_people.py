"""A person who belongs to another organisation and holds a post in the
manager's: the manager edits what they may, and the person keeps their own
branch (a choice list limited to the manager's scope used to blank it)."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tests.members.factories import PositionFactory
from tests.members.test_admin_contest import errors, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def visiting_head(manager_branch, other_branch):
    person = PersonFactory(name="外镇卫生院院长", branch=other_branch)
    PositionFactory(person=person, society=None, branch=manager_branch)
    return person


def change_url(person):
    return reverse("admin:members_person_change", args=[person.pk])


def test_manager_edits_a_visiting_post_holder_who_keeps_their_branch(
    manager_client, visiting_head, other_branch
):
    page = manager_client.get(change_url(visiting_head))
    assert "branch" not in page.context["adminform"].form.fields
    data = form_data(page)
    data["employer"] = "新埭镇卫生院"

    response = manager_client.post(change_url(visiting_head), data)

    assert response.status_code == 302, errors(response)
    visiting_head.refresh_from_db()
    assert visiting_head.employer == "新埭镇卫生院"
    assert visiting_head.branch == other_branch


def test_manager_still_moves_their_own_people_between_their_branches(
    manager_client, manager_branch, own_village
):
    person = PersonFactory(name="本街道科技工作者", branch=manager_branch)
    page = manager_client.get(change_url(person))
    data = form_data(page)
    data["branch"] = own_village.pk

    response = manager_client.post(change_url(person), data)

    assert response.status_code == 302, errors(response)
    person.refresh_from_db()
    assert person.branch == own_village
