"""Organisation managers in the admin: they see and reach only their own
organisation's records; association staff see everything."""

import datetime

import pytest
from django.urls import reverse

from kexie.platform.accounts.models import User
from members.models import Branch, ContestProject, Person, Position, Society
from tests.factories import OrgManagerFactory, PersonFactory, SocietyFactory, UserFactory
from tests.members.factories import (
    AgreementFactory,
    ContestProjectFactory,
    HonorFactory,
    PartnerFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def own_society(db):
    return SocietyFactory(name="平湖市机械工程学会")


@pytest.fixture
def society_manager(own_society):
    return OrgManagerFactory(
        user=UserFactory(name="学会管理员", role=User.Role.MANAGER, is_staff=True),
        society=own_society,
        branch=None,
    ).user


def _records(kind, *, manager_branch, own_village, other_branch, own_society, other_society):
    """(own record, other organisation's record) of one model."""
    if kind == "society":
        return own_society, other_society
    if kind == "branch":
        return own_village, other_branch
    if kind == "person":
        return (
            PersonFactory(name="本街道科技工作者", branch=manager_branch),
            PersonFactory(name="外镇科技工作者", branch=other_branch),
        )
    if kind == "position":
        return (
            PositionFactory(society=None, branch=own_village),
            PositionFactory(society=None, branch=other_branch),
        )
    if kind == "honor":
        return (
            HonorFactory(person=None, branch=own_village),
            HonorFactory(person=None, branch=other_branch),
        )
    if kind == "contestproject":
        own = ContestProjectFactory(society=other_society, title="本街道协作项目")
        own.branches.add(manager_branch)
        return own, ContestProjectFactory(society=other_society, title="外镇项目")
    raise AssertionError(kind)


SCOPED_MODELS = ["society", "branch", "person", "position", "honor", "contestproject"]


@pytest.fixture
def scoped(
    request,
    login,
    manager_user,
    society_manager,
    manager_branch,
    own_village,
    other_branch,
    own_society,
    other_society,
):
    def build(kind):
        own, other = _records(
            kind,
            manager_branch=manager_branch,
            own_village=own_village,
            other_branch=other_branch,
            own_society=own_society,
            other_society=other_society,
        )
        user = society_manager if kind == "society" else manager_user
        return login(user), own, other

    return build


def change_url(obj):
    return reverse(f"admin:members_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("kind", SCOPED_MODELS)
def test_manager_list_shows_own_organisation_records_only(scoped, kind):
    client, own, other = scoped(kind)
    response = client.get(reverse(f"admin:members_{kind}_changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert own in listed
    assert other not in listed
    assert change_url(other) not in response.content.decode()


@pytest.mark.parametrize("kind", SCOPED_MODELS)
@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_other_organisations_record_is_404_by_url(scoped, kind, page):
    client, own, other = scoped(kind)
    url = reverse(f"admin:members_{kind}_{page}", args=[other.pk])
    assert client.get(url).status_code == 404
    # Their own record answers; only positions may be deleted by managers.
    own_status = 403 if page == "delete" and kind != "position" else 200
    own_url = reverse(f"admin:members_{kind}_{page}", args=[own.pk])
    assert client.get(own_url).status_code == own_status


@pytest.mark.parametrize("kind", SCOPED_MODELS)
def test_staff_see_every_organisations_records(scoped, staff_client, kind):
    _client, own, other = scoped(kind)
    response = staff_client.get(reverse(f"admin:members_{kind}_changelist"))
    listed = list(response.context["cl"].result_list)
    assert own in listed and other in listed
    assert staff_client.get(change_url(other)).status_code == 200


def test_manager_cannot_post_a_change_to_another_organisations_branch(manager_client, other_branch):
    response = manager_client.post(change_url(other_branch), {"name": "改名", "kind": "town"})
    assert response.status_code == 404
    other_branch.refresh_from_db()
    assert other_branch.name == "新埭镇科协"


@pytest.mark.parametrize("model", ["partner", "agreement", "jointactivity", "town", "orgmanager"])
def test_manager_has_no_access_to_association_level_records(manager_client, model):
    PartnerFactory()
    assert manager_client.get(reverse(f"admin:members_{model}_changelist")).status_code == 403


def test_manager_branch_choices_are_limited_to_their_scope(
    manager_client, manager_branch, own_village, other_branch
):
    response = manager_client.get(reverse("admin:members_branch_add"))
    parents = list(response.context["adminform"].form.fields["parent"].queryset)
    assert set(parents) == {manager_branch, own_village}


def test_manager_cannot_create_a_branch_under_another_organisation(
    manager_client, manager_branch, other_branch
):
    response = manager_client.post(
        reverse("admin:members_branch_add"),
        {
            "name": "外镇新村科协",
            "kind": Branch.Kind.VILLAGE,
            "town": other_branch.town_id,
            "parent": other_branch.pk,
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Branch.objects.filter(name="外镇新村科协").exists()


def test_manager_creates_a_village_under_their_branch(manager_client, manager_branch):
    response = manager_client.post(
        reverse("admin:members_branch_add"),
        {
            "name": "当湖街道新村科协",
            "kind": Branch.Kind.VILLAGE,
            "town": manager_branch.town_id,
            "parent": manager_branch.pk,
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Branch.objects.get(name="当湖街道新村科协").parent == manager_branch


def test_manager_cannot_move_their_own_branch(manager_client, manager_branch):
    response = manager_client.get(change_url(manager_branch))
    assert "parent" not in response.context["adminform"].form.fields


def test_manager_position_needs_an_organisation_of_their_own(manager_client, own_person):
    response = manager_client.post(
        reverse("admin:members_position_add"),
        {"person": own_person.pk, "role": Position.Role.DIRECTOR, "start": "2022-01-01"},
    )
    assert response.status_code == 200
    assert "请选择您管理的组织，否则保存后您将无法再看到这条记录。" in response.content.decode()
    assert not Position.objects.exists()


def test_manager_cannot_appoint_someone_they_cannot_see(
    manager_client, manager_branch, other_person
):
    response = manager_client.post(
        reverse("admin:members_position_add"),
        {
            "person": other_person.pk,
            "branch": manager_branch.pk,
            "role": Position.Role.DIRECTOR,
            "start": "2022-01-01",
        },
    )
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors
    assert not Position.objects.exists()


def test_manager_sees_but_cannot_set_score_or_rank(manager_client, manager_branch, other_society):
    project = ContestProjectFactory(society=other_society)
    project.branches.add(manager_branch)
    response = manager_client.get(change_url(project))
    form = response.context["adminform"].form
    assert "score" not in form.fields and "rank" not in form.fields
    changelist = manager_client.get(reverse("admin:members_contestproject_changelist"))
    assert "rank_years" not in changelist.context["cl"].model_admin.get_actions(
        changelist.wsgi_request
    )


def test_staff_ranks_a_year_from_the_admin(staff_client, db):
    from decimal import Decimal

    low = ContestProjectFactory(year=2022, score=Decimal(70))
    high = ContestProjectFactory(year=2022, score=Decimal(90))
    response = staff_client.post(
        reverse("admin:members_contestproject_changelist"),
        {"action": "rank_years", "_selected_action": [low.pk]},
        follow=True,
    )
    assert "已为 2022 年度的项目重新排名。" in response.content.decode()
    assert dict(ContestProject.objects.values_list("pk", "rank")) == {high.pk: 1, low.pk: 2}


# Staff editing: validation and history


def test_staff_admin_refuses_a_cycle_with_a_clear_message(
    staff_client, manager_branch, own_village
):
    response = staff_client.post(
        change_url(manager_branch),
        {
            "name": manager_branch.name,
            "kind": manager_branch.kind,
            "town": manager_branch.town_id,
            "parent": own_village.pk,
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "上级组织不能是本组织或其下级组织，否则会形成循环。" in response.content.decode()
    manager_branch.refresh_from_db()
    assert manager_branch.parent is None


def _society_post(society, rows):
    data = {
        "name": society.name,
        "status": Society.Status.ACTIVE,
        "member_count": "10",
        "positions-TOTAL_FORMS": str(len(rows)),
        "positions-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"positions-{index}-{key}"] = value
    return data


def test_staff_inline_positions_refuse_two_overlapping_presidents(staff_client, own_society):
    first, second = PersonFactory(), PersonFactory()
    response = staff_client.post(
        change_url(own_society),
        _society_post(
            own_society,
            [
                {"person": first.pk, "role": "president", "start": "2021-01-01"},
                {
                    "person": second.pk,
                    "role": "president",
                    "start": "2022-01-01",
                    "end": "2022-12-31",
                },
            ],
        ),
    )
    assert response.status_code == 200
    assert "同一职务的两段任期重叠：该职务同一时间只能有一人担任。" in response.content.decode()
    assert not Position.objects.exists()


def test_staff_inline_positions_save_with_history(staff_client, staff_user, own_society):
    person = PersonFactory()
    response = staff_client.post(
        change_url(own_society),
        _society_post(
            own_society, [{"person": person.pk, "role": "president", "start": "2021-01-01"}]
        ),
    )
    assert response.status_code == 302
    position = Position.objects.get()
    assert position.society == own_society
    record = position.history.get()
    assert record.history_user == staff_user
    assert own_society.history.latest().history_user == staff_user


def test_history_page_shows_who_changed_what(staff_client, own_society):
    staff_client.post(
        change_url(own_society),
        {**_society_post(own_society, []), "member_count": "99"},
    )
    response = staff_client.get(reverse("admin:members_society_history", args=[own_society.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "工作人员" in page


def test_person_list_offers_filters_and_search(staff_client, own_person, other_person):
    response = staff_client.get(reverse("admin:members_person_changelist"), {"q": "外镇"})
    assert list(response.context["cl"].result_list) == [other_person]
    assert response.context["cl"].has_filters


@pytest.mark.parametrize("rows", [5, 200])
def test_manager_person_list_query_budget(
    manager_client, manager_branch, django_assert_max_num_queries, rows
):
    for n in range(rows):
        PersonFactory(name=f"人员{n}", branch=manager_branch)
    # session, user, scope (managed orgs, subtree levels), count, page with
    # branch joined, filters' choices, admin log … a fixed number
    with django_assert_max_num_queries(20):
        response = manager_client.get(reverse("admin:members_person_changelist"))
    assert response.status_code == 200
    assert Person.objects.count() == rows


def test_agreement_fixture_builds(db):
    assert AgreementFactory().partner
