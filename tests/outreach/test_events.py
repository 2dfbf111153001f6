"""Event life: finishing adds up the reach; lecture requests become events."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from outreach.models import Audience, Event
from outreach.services.events import event_cancel, event_finish, reach_record
from tests.outreach.conftest import NOW
from tests.outreach.factories import AudienceFactory, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_event():
    return EventFactory(starts_at=NOW - timedelta(days=1))


def test_reach_is_check_ins_plus_walk_ins_and_online_per_audience(past_event):
    RegistrationFactory(event=past_event, party_size=3, status="attended", attended_count=2)
    youth = AudienceFactory(code=Audience.Code.YOUTH)
    public = AudienceFactory(code=Audience.Code.PUBLIC)
    reach_record(event=past_event, audience=youth, walk_in=10, online=100)
    reach_record(event=past_event, audience=public, walk_in=5)
    event = event_finish(event=past_event)
    assert (event.checked_in_count, event.reach_total) == (2, 117)
    reach_record(event=event, audience=youth, walk_in=20, online=100)  # a correction
    event.refresh_from_db()
    assert event.reach_total == 127


def test_reach_cannot_be_recorded_before_the_event(event):
    with pytest.raises(ValidationError) as exc_info:
        reach_record(event=event, audience=AudienceFactory(), walk_in=3)
    assert exc_info.value.messages == ["活动开始后才能登记受众人次。"]


def test_an_event_cannot_be_finished_before_it_ends(event):
    with pytest.raises(ValidationError) as exc_info:
        event_finish(event=event)
    assert exc_info.value.messages == ["活动尚未结束。"]
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_a_finished_event_cannot_be_cancelled(past_event):
    event_finish(event=past_event)
    with pytest.raises(ValidationError) as exc_info:
        event_cancel(event=past_event)
    assert exc_info.value.messages == ["已结束的活动不能取消。"]
