"""Outreach tests run at a fixed moment: 1 June 2026, 10:00 in Pinghu."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(db):
    from tests.outreach.factories import EventFactory

    return EventFactory(title="航天科普讲座")


@pytest.fixture
def manager_event(manager_branch):
    """An event organised by the manager's own branch."""
    from tests.outreach.factories import EventFactory

    return EventFactory(title="当湖街道亲子科学课", branch=manager_branch)


@pytest.fixture
def other_event(db):
    """A public event of a society the manager does not manage."""
    from tests.factories import SocietyFactory
    from tests.outreach.factories import EventFactory

    return EventFactory(title="医学会健康讲座", society=SocietyFactory(name="平湖市医学会"))
