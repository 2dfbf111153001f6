"""The society and branch pages list the organisation's upcoming events."""

import pytest

from tests.factories import BranchFactory, SocietyFactory
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_branch_page_lists_its_upcoming_published_events(client):
    branch = BranchFactory(name="乍浦镇科协")
    EventFactory(title="乍浦镇少儿科学课", branch=branch)
    EventFactory(title="别的组织的讲座")
    page = client.get(branch.get_absolute_url()).content.decode()
    assert "近期科普活动" in page
    assert "乍浦镇少儿科学课" in page
    assert "别的组织的讲座" not in page


def test_society_page_lists_its_upcoming_published_events(client):
    society = SocietyFactory(name="平湖市农学会")
    EventFactory(title="农民共富田间课堂", society=society)
    page = client.get(society.get_absolute_url()).content.decode()
    assert "农民共富田间课堂" in page
