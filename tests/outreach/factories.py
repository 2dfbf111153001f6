"""Factories of the outreach records. Events default to a published lecture a
week after the frozen "now" of ``tests/outreach/conftest.py``, open for
sign-up, with 10 seats."""

from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from outreach.models import (
    Audience,
    Campaign,
    Event,
    EventSession,
    LectureTopic,
    Registration,
    SpeakerTeam,
    Venue,
)
from tests.factories import PersonFactory, TownFactory
from tests.outreach.conftest import NOW


class AudienceFactory(DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["code"]

    code = Audience.Code.YOUTH
    name = factory.LazyAttribute(lambda o: Audience.Code(o.code).label)


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"科普e站{n}")
    kind = Venue.Kind.E_STATION
    town = factory.SubFactory(TownFactory)
    address = factory.Sequence(lambda n: f"平湖市新华路{n}号")
    opening_hours = "周二至周日 9:00–17:00"


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"专项行动{n}")
    start_year = 2022


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"科普讲座{n}")
    kind = Event.Kind.LECTURE
    status = Event.Status.PUBLISHED
    venue = factory.SubFactory(VenueFactory)
    starts_at = NOW + timedelta(days=7)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10
    max_party_size = 3
    summary = "一次轻松有趣的科普讲座"

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create:
            obj.audiences.set(extracted or [AudienceFactory()])


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = EventSession

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"第{n}课")
    starts_at = NOW + timedelta(days=7)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))


class RegistrationFactory(DjangoModelFactory):
    """Writes a row directly, for setting up states; tests of the rules go
    through the services."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"报名者{n}")
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    party_size = 1
    status = Registration.Status.CONFIRMED
    created_at = NOW


class SpeakerTeamFactory(DjangoModelFactory):
    class Meta:
        model = SpeakerTeam

    name = factory.Sequence(lambda n: f"科普讲师团{n}")
    description = "博士们走进学校和社区讲科学"


class LectureTopicFactory(DjangoModelFactory):
    class Meta:
        model = LectureTopic

    team = factory.SubFactory(SpeakerTeamFactory)
    title = factory.Sequence(lambda n: f"讲座题目{n}")
    summary = "从生活中的现象讲起"
    speaker = factory.SubFactory(PersonFactory)
