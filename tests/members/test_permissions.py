"""Who gets what: (url name, role, expected status), and a sweep that no page
answers a logged-out visitor with a server error."""

import pytest
from django.urls import reverse

from members import urls as members_urls
from tests.factories import SocietyFactory
from tests.members.factories import ContestProjectFactory
from tests.worlds import cast_users, copy_of, shared_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "public", "enterprise", "expert", "manager", "staff"]


def _build_world():
    users = cast_users()
    society = SocietyFactory()
    ContestProjectFactory(society=society, year=2022)
    return {"society": society, "branch": users.pop("manager_branch"), "users": users}


_shared = shared_world(_build_world)


@pytest.fixture
def world(_shared, db):
    return copy_of(_shared)


@pytest.fixture
def client_for(world, client, login):
    def make(role):
        if role == "anonymous":
            return client
        return login(world["users"][role])

    return make


def _url(name, world):
    args = {
        "members:society_detail": [world["society"].pk],
        "members:branch_detail": [world["branch"].pk],
        "members:contest_year": [2022],
        "admin:members_society_change": [world["society"].pk],
    }.get(name, [])
    return reverse(name, args=args)


PUBLIC_PAGES = [
    "members:org_list",
    "members:society_detail",
    "members:branch_detail",
    "members:honor_list",
    "members:contest_year",
]

MATRIX = (
    [(name, role, 200) for name in PUBLIC_PAGES for role in ROLES]
    + [("members:contest_index", role, 302) for role in ROLES]
    + [
        ("members:three_heads_report", "anonymous", 302),
        ("members:three_heads_report", "public", 403),
        ("members:three_heads_report", "enterprise", 403),
        ("members:three_heads_report", "expert", 403),
        ("members:three_heads_report", "manager", 403),
        ("members:three_heads_report", "staff", 200),
        ("admin:members_person_changelist", "anonymous", 302),
        ("admin:members_person_changelist", "public", 302),
        ("admin:members_person_changelist", "expert", 302),
        ("admin:members_person_changelist", "manager", 200),
        ("admin:members_person_changelist", "staff", 200),
        ("admin:members_branch_add", "manager", 200),
        ("admin:members_society_add", "manager", 403),
        ("admin:members_society_change", "manager", 404),
        ("admin:members_society_change", "staff", 200),
        ("admin:members_honor_add", "manager", 403),
        ("admin:members_honor_changelist", "manager", 200),
        ("admin:members_partner_changelist", "manager", 403),
        ("admin:members_partner_changelist", "staff", 200),
        ("admin:members_orgmanager_changelist", "manager", 403),
        ("admin:members_person_import", "manager", 403),
        ("admin:members_person_import", "staff", 200),
        ("admin:members_contestproject_export", "staff", 200),
    ]
)


@pytest.mark.parametrize(("url_name", "role", "status"), MATRIX)
def test_permission_matrix(world, client_for, url_name, role, status):
    response = client_for(role).get(_url(url_name, world))
    assert response.status_code == status
    if status == 302:
        # Where each redirect leads: the contest's latest year, or a log-in page.
        if url_name == "members:contest_index":
            assert response.url == reverse("members:contest_year", args=[2022])
        elif url_name.startswith("admin:"):
            assert response.url.startswith(reverse("admin:login"))
        else:
            assert response.url.startswith(reverse("accounts:login"))


def test_every_members_url_answers_a_logged_out_visitor_without_error(client, world):
    for pattern in members_urls.urlpatterns:
        name = f"members:{pattern.name}"
        response = client.get(_url(name, world))
        assert response.status_code in (200, 302, 404), name
        if response.status_code == 302 and name == "members:three_heads_report":
            assert reverse("accounts:login") in response.url
