"""The demo data: built through the services, and safe to load twice."""

import functools
import io

import pytest

from kexie.platform.pictures import drawing
from outreach import demo
from outreach.models import Event, LectureRequest, Registration, SpeakerTeam, Venue

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Venue.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
        LectureRequest.objects.count(),
        SpeakerTeam.objects.count(),
    )


def test_demo_loads_pinghu_like_data_and_can_be_loaded_again(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(demo, "EVENT_COUNT", 30)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    # The demo's drawings, small enough to keep the test quick.
    monkeypatch.setattr(drawing, "cover", functools.partial(drawing.cover, size=(240, 160)))
    monkeypatch.setattr(drawing, "poster", functools.partial(drawing.poster, size=(180, 252)))
    demo.seed(stdout=io.StringIO())
    first = _counts()
    demo.seed(stdout=io.StringIO())
    assert _counts() == first

    bases = Venue.objects.filter(kind=Venue.Kind.BASE)
    assert bases.count() == 39
    assert bases.filter(level=Venue.Level.PREFECTURE).count() == 14
    assert Venue.objects.filter(kind=Venue.Kind.E_STATION).count() == 10
    assert Venue.objects.get(name="平湖市科技馆").status == Venue.Status.UNDER_CONSTRUCTION
    assert Venue.objects.filter(name="中国航天科普馆").exists()
    assert Event.objects.filter(status=Event.Status.FINISHED, reach_total__gt=0).exists()
    assert Event.objects.filter(status=Event.Status.PUBLISHED).exists()
    assert Event.objects.filter(status=Event.Status.CANCELLED).count() == 1
    assert SpeakerTeam.objects.count() == 2
    # Pictures: the main venues' photos, a cover on every public event, recaps.
    assert Venue.objects.get(name="中国航天科普馆").photos.count() == 2
    assert not Event.objects.filter(status__in=Event.PUBLIC_STATUSES, cover=None).exists()
    assert Event.objects.filter(recap__photos__isnull=False).exists()
    assert set(LectureRequest.objects.values_list("status", flat=True)) == {
        "submitted",
        "accepted",
        "declined",
    }
    for event in Event.objects.exclude(capacity=None).filter(status="published"):
        seated = sum(
            r.party_size
            for r in event.registrations.filter(status__in=Registration.SEATED_STATUSES)
        )
        assert seated <= event.capacity


def test_every_demo_names_its_towns_from_the_one_list():
    from experts.demo.data import DATA as EXPERTS
    from members.reference import town_rows
    from outreach.demo.data import DATA as OUTREACH

    towns = {row["name"] for row in town_rows()}
    named = {row["town"] for row in OUTREACH["venues"] + OUTREACH["lecture_requests"]}
    named |= {row["town"] for row in EXPERTS["enterprises"]}
    assert named <= towns
