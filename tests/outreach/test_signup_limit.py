"""One network address, and one phone, may sign up only so often (the ``signup``
limit of ``kexie.platform.limits``: ``LIMIT_SIGNUP``, ``LIMIT_SIGNUP_PER_RECIPIENT``)."""

import pytest
from django.core.cache import caches

from outreach.models import Registration
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_an_hour(settings):
    settings.LIMIT_SIGNUP = "3/h"
    settings.LIMIT_SIGNUP_PER_RECIPIENT = "2/d"


def _sign_up(client, event, n: int, address: str = "203.0.113.7", phone: str | None = None):
    return client.post(
        event.get_absolute_url(),
        {"name": f"报名者{n}", "phone": phone or f"1380000{n:04d}", "party_size": 1},
        REMOTE_ADDR=address,
    )


def test_an_address_over_the_rate_is_refused_with_a_message_and_nothing_is_saved(client):
    event = EventFactory(capacity=50)
    for n in range(3):
        assert _sign_up(client, event, n).status_code == 302
    response = _sign_up(client, event, 3)
    assert response.status_code == 429
    body = response.content.decode()
    assert "报名太频繁" in body
    assert 'value="报名者3"' in body  # what the visitor typed is still there
    assert Registration.objects.filter(event=event).count() == 3


def test_another_address_can_still_sign_up(client):
    event = EventFactory(capacity=50)
    for n in range(4):
        _sign_up(client, event, n)
    assert _sign_up(client, event, 9, address="198.51.100.2").status_code == 302


def test_refused_attempts_do_not_count(client):
    event = EventFactory(capacity=50)
    for _ in range(5):
        response = client.post(event.get_absolute_url(), {"name": "王小明", "phone": "1"})
        assert response.status_code == 400
    assert _sign_up(client, event, 1).status_code == 302


def test_no_limit_when_the_rate_is_empty(client, settings):
    settings.LIMIT_SIGNUP = ""
    event = EventFactory(capacity=50)
    for n in range(5):
        assert _sign_up(client, event, n).status_code == 302


def test_sign_ups_go_on_when_the_cache_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(caches["default"], "add", broken)
    monkeypatch.setattr(caches["default"], "incr", broken)
    event = EventFactory(capacity=50)
    for n in range(5):
        assert _sign_up(client, event, n).status_code == 302


def test_one_phone_over_its_rate_is_refused_across_events_and_addresses(client):
    events = [EventFactory(capacity=50) for _ in range(3)]
    for n, event in enumerate(events[:2]):
        response = _sign_up(client, event, n, address=f"198.51.100.{n}", phone="138 0000 5555")
        assert response.status_code == 302
    response = _sign_up(client, events[2], 9, address="192.0.2.9", phone="13800005555")
    assert response.status_code == 429
    assert 'value="13800005555"' in response.content.decode()
    assert not Registration.objects.filter(event=events[2]).exists()
