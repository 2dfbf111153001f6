"""Contest projects in the admin: a society leads a project, branches join it
as partners. A partner branch's manager keeps its progress up to date without
being able to blank its lead society or drop the other partners; a manager of
branches only has no society to enter a new project under."""

import pytest
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from kexie.platform.accounts.models import User
from members.models import ContestProject, ProgressUpdate
from tests.factories import BranchFactory, OrgManagerFactory, SocietyFactory, UserFactory
from tests.members.factories import ContestProjectFactory

pytestmark = pytest.mark.django_db


def change_url(project):
    return reverse("admin:members_contestproject_change", args=[project.pk])


def form_data(response):
    """The change page's form as a browser would post it, unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or isinstance(value, FieldFile):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in (formset.management_form, *formset.forms):
            for name in bound.fields:
                value = bound[name].value()
                if value is not None:
                    data[bound.add_prefix(name)] = value
    return data


def errors(response):
    if response.status_code != 200:
        return response.status_code
    return response.context["adminform"].form.errors, [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]


@pytest.fixture
def lead_society(db):
    return SocietyFactory(name="平湖市计算机学会")


@pytest.fixture
def partnered_project(lead_society, manager_branch, other_branch):
    project = ContestProjectFactory(society=lead_society, title="老年人智能手机课堂")
    project.branches.add(manager_branch, other_branch)
    return project


@pytest.fixture
def lead_client(login, lead_society):
    user = UserFactory(name="学会管理员", role=User.Role.MANAGER, is_staff=True)
    return login(OrgManagerFactory(user=user, society=lead_society, branch=None).user)


def test_partner_branch_manager_adds_progress_and_keeps_lead_and_partners(
    manager_client, partnered_project, lead_society, manager_branch, other_branch
):
    page = manager_client.get(change_url(partnered_project))
    form = page.context["adminform"].form
    assert "society" not in form.fields and "branches" not in form.fields
    data = form_data(page)
    data["updates-0-date"] = "2022-06-01"
    data["updates-0-text"] = "已在星光村开课两次。"

    response = manager_client.post(change_url(partnered_project), data)

    assert response.status_code == 302, errors(response)
    partnered_project.refresh_from_db()
    assert partnered_project.society == lead_society
    assert set(partnered_project.branches.all()) == {manager_branch, other_branch}
    assert ProgressUpdate.objects.get(project=partnered_project).text == "已在星光村开课两次。"


def test_lead_society_manager_keeps_partners_outside_their_scope(
    lead_client, partnered_project, manager_branch, other_branch
):
    page = lead_client.get(change_url(partnered_project))
    data = form_data(page)
    data["title"] = "老年人智能手机课堂（提质版）"

    response = lead_client.post(change_url(partnered_project), data)

    assert response.status_code == 302, errors(response)
    partnered_project.refresh_from_db()
    assert partnered_project.title == "老年人智能手机课堂（提质版）"
    assert set(partnered_project.branches.all()) == {manager_branch, other_branch}


def test_lead_society_manager_may_choose_any_branch_as_partner(lead_client, lead_society):
    village = BranchFactory(name="新埭镇星光村科协")
    response = lead_client.post(
        reverse("admin:members_contestproject_add"),
        {
            "year": "2023",
            "society": str(lead_society.pk),
            "branches": [str(village.pk)],
            "title": "乡村数字课堂",
            "domain": ContestProject.Domain.DIGITAL,
            "goal": "为村民讲授手机使用。",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, errors(response)
    project = ContestProject.objects.get(title="乡村数字课堂")
    assert list(project.branches.all()) == [village]


def test_branch_manager_is_not_offered_a_project_they_cannot_lead(manager_client):
    changelist = manager_client.get(reverse("admin:members_contestproject_changelist"))
    assert changelist.status_code == 200
    assert not changelist.context["has_add_permission"]
    assert manager_client.get(reverse("admin:members_contestproject_add")).status_code == 403


def test_staff_still_choose_lead_and_partners(staff_client, partnered_project):
    form = staff_client.get(change_url(partnered_project)).context["adminform"].form
    assert "society" in form.fields and "branches" in form.fields
