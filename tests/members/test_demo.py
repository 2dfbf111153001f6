import io

import pytest

from kexie.platform.accounts.models import User
from members.models import (
    Branch,
    ContestProject,
    Honor,
    OrgManager,
    Person,
    Position,
    Society,
    Town,
)
from members.reference import town_rows
from members.selectors import three_heads_coverage

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (Town, Society, Branch, Person, Position, Honor, ContestProject)
    ]


def test_demo_builds_pinghu_and_can_run_twice(db):
    from members import demo

    out = io.StringIO()
    demo.seed(stdout=out)
    first = _counts()
    demo.seed(stdout=out)
    assert _counts() == first

    assert set(Town.objects.values_list("name", flat=True)) == {row["name"] for row in town_rows()}
    assert Branch.objects.filter(kind=Branch.Kind.TOWN).count() == 10
    assert ContestProject.objects.count() == 60
    assert sorted(set(ContestProject.objects.values_list("year", flat=True))) == [2020, 2021, 2022]
    assert Honor.objects.filter(person__name="姚爱英", level=Honor.Level.NATIONAL).exists()
    coverage = three_heads_coverage()
    assert (coverage["complete"], coverage["total"]) == (9, 10)

    manager = User.objects.get(email=demo.DEMO_MANAGER_EMAIL)
    assert manager.is_org_manager
    assert OrgManager.objects.get(user=manager).branch.name == "新埭镇科协"
    assert "manager@demo.kexie" in out.getvalue()


def test_one_town_list_numbered_from_one(db):
    from members.reference import ensure_towns

    towns = ensure_towns()
    assert [town.order for town in towns.values()] == list(range(1, len(town_rows()) + 1))
    assert ensure_towns() == towns  # re-runnable: nothing made twice
