"""Records of the members app around the shared cast: the manager's branch
(``manager_branch``, 当湖街道科协) with a village under it, and another town's
branch and a society the manager does not manage."""

import datetime

import pytest
import time_machine

from members.models import Branch
from tests.factories import BranchFactory, PersonFactory, SocietyFactory, TownFactory

TODAY = datetime.date(2023, 3, 15)


@pytest.fixture(autouse=True)
def _frozen_today():
    # "Current" positions depend on today's date.
    with time_machine.travel(
        datetime.datetime(2023, 3, 15, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def own_village(manager_branch):
    return BranchFactory(
        name="当湖街道东湖社区科协",
        kind=Branch.Kind.COMMUNITY,
        town=manager_branch.town,
        parent=manager_branch,
    )


@pytest.fixture
def other_branch(db):
    return BranchFactory(name="新埭镇科协", town=TownFactory(name="新埭镇"))


@pytest.fixture
def other_society(db):
    return SocietyFactory(name="平湖市医学会", discipline="医学")


@pytest.fixture
def own_person(manager_branch):
    return PersonFactory(name="本街道科技工作者", branch=manager_branch)


@pytest.fixture
def other_person(other_branch):
    return PersonFactory(name="外镇科技工作者", branch=other_branch)
