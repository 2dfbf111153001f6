"""The workbench keeps each block's HTML per user for a minute: a second visit
runs no block query, a write to a block's domain shows at once, a sign-up
within the minute, and nobody is shown another user's blocks.

These tests commit for real (``transaction=True``): blocks are cached only
outside a transaction, and the page cache's generations are bumped on commit.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts.models import TechNeed
from outreach.services.registrations import registration_create
from tests.experts.factories import NeedFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/staff/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _body(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_runs_no_block_query_and_shows_the_same(staff_client):
    NeedFactory(title="电池热管理求助", status=TechNeed.Status.SUBMITTED)
    first = _body(staff_client)
    with CaptureQueriesContext(connection) as queries:
        second = _body(staff_client)
    # The session with its user; every block comes from the cache.
    assert len(queries) == 1
    # The same page but for the CSRF token of the log-out form, masked anew each time.
    assert TOKEN.sub("", second) == TOKEN.sub("", first)
    assert "电池热管理求助" in second


def test_a_need_submitted_shows_at_once(staff_client):
    _body(staff_client)
    NeedFactory(title="刚提交的需求", status=TechNeed.Status.SUBMITTED)
    assert "刚提交的需求" in _body(staff_client)


def test_a_sign_up_shows_within_the_minute(staff_client):
    event = EventFactory(title="当湖街道亲子科学课", starts_at=NOW + timedelta(days=3))
    _body(staff_client)
    registration_create(event=event, name="王家长", phone="13800001111", party_size=2)
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert "王家长" in _body(staff_client)


def test_a_manager_is_never_shown_the_blocks_kept_for_staff(staff_client, login, manager_user):
    EventFactory(title="医学会健康讲座", starts_at=NOW + timedelta(hours=4))
    assert "医学会健康讲座" in _body(staff_client)
    assert "医学会健康讲座" not in _body(login(manager_user))
