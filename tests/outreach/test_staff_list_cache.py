"""The staff list of an event's sign-ups keeps its rows in the cache
(``kexie/platform/lib/partcache.py``) under the event's dependency: a second
visit runs no query of the list's own, a sign-up or a cancellation shows at
once, and a manager of another organiser still gets 403.

These tests commit for real (``transaction=True``): parts are kept only
outside a transaction, and dependencies are bumped on commit.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.services.registrations import registration_cancel, registration_create
from tests.factories import SocietyFactory
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_sign_up_and_a_cancellation_show_at_once(staff_client):
    event = EventFactory(capacity=10)
    url = reverse("outreach:staff_event_registrations", args=[event.pk])
    first = registration_create(event=event, name="王家长", phone="13800001111", party_size=2)
    assert "王家长" in _body(staff_client, url)
    with CaptureQueriesContext(connection) as queries:
        _body(staff_client, url)
    assert len(queries) == 2  # the session with its user, the event's row
    registration_create(event=event, name="李家长", phone="13800002222", party_size=1)
    assert "李家长" in _body(staff_client, url)
    registration_cancel(registration=first, by_registrant=False)
    body = _body(staff_client, url)
    assert "已取消" in body
    assert "共 2 个报名" in body


def test_a_manager_of_another_organiser_is_still_refused(staff_client, login, manager_user):
    event = EventFactory(capacity=10, society=SocietyFactory(name="平湖市医学会"))
    url = reverse("outreach:staff_event_registrations", args=[event.pk])
    _body(staff_client, url)
    assert login(manager_user).get(url).status_code == 403
