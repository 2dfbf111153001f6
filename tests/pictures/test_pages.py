"""Pictures where people expect them: lists show thumbnails only, pages show
the detail size, venues say where they are without any outside script."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outreach.models import Event
from outreach.services.recaps import recap_photo_add
from tests.factories import PictureFactory
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_now():
    # The outreach factories plan events a week after this moment.
    with time_machine.travel(NOW, tick=False):
        yield


def test_event_list_shows_the_cover_thumbnail_only(client):
    cover, poster = PictureFactory(alt="孩子们在做实验"), PictureFactory(alt="活动海报")
    EventFactory(title="周末科学课", cover=cover, poster=poster)
    page = client.get(reverse("outreach:event_list")).content.decode()
    assert cover.url("thumb") in page and 'alt="孩子们在做实验"' in page
    assert 'width="480" height="320"' in page and 'loading="lazy"' in page
    for full in (cover.url("detail"), poster.url("detail"), cover.url("social")):
        assert full not in page


def test_event_without_cover_shows_its_poster_in_lists(client):
    poster = PictureFactory(alt="活动海报")
    EventFactory(title="周末科学课", poster=poster)
    assert poster.url("thumb") in client.get(reverse("outreach:event_list")).content.decode()


def test_event_page_shows_the_poster(client):
    poster = PictureFactory(alt="航天讲座海报")
    event = EventFactory(poster=poster)
    page = client.get(event.get_absolute_url()).content.decode()
    assert poster.url("detail") in page and 'alt="航天讲座海报"' in page


def test_past_event_shows_its_recap_with_photos(client, staff_user):
    past = timezone.now() - timedelta(days=3)
    event = EventFactory(starts_at=past, status=Event.Status.FINISHED)
    photo = PictureFactory(alt="同学们体验返回舱")
    recap_photo_add(event=event, picture=photo, by=staff_user)
    event.recap.summary = "约两百名学生参加。"
    event.recap.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "活动回顾" in page and "约两百名学生参加。" in page
    assert photo.url("thumb") in page


def test_no_recap_before_the_event(staff_user):
    event = EventFactory()
    with pytest.raises(ValidationError) as error:
        recap_photo_add(event=event, picture=PictureFactory(), by=staff_user)
    assert error.value.messages == ["活动结束后才能添加活动回顾。"]


def test_venue_page_opens_the_map_app_by_coordinates(client):
    venue = VenueFactory(
        name="中国航天科普馆",
        latitude="30.623456",
        longitude="121.098765",
        directions="乘公交到独山港镇政府站，步行300米。",
        picture=PictureFactory(alt="航天科普馆外景"),
    )
    page = client.get(venue.get_absolute_url()).content.decode()
    assert 'href="geo:30.623456,121.098765?q=30.623456,121.098765"' in page
    assert "https://uri.amap.com/marker?position=121.098765%2C30.623456" in page
    assert "coordinate=wgs84" in page
    assert "步行300米" in page
    # No map script or tile from outside the site.
    assert "<iframe" not in page
    assert '<script src="http' not in page and "api.map" not in page


def test_venue_list_shows_thumbnails(client):
    venue = VenueFactory(picture=PictureFactory(alt="科普e站"))
    page = client.get(reverse("outreach:venue_list")).content.decode()
    assert venue.picture.url("thumb") in page
    assert venue.picture.url("detail") not in page


def test_article_list_shows_cover_thumbnails_and_the_page_a_social_preview(
    client, settings, staff_user
):
    from kexie.portal.content import services
    from kexie.portal.content.models import Column
    from tests.factories import UserFactory

    settings.SITE_URL = "https://www.phkx.example"
    cover = PictureFactory(alt="学会工作会议现场")
    article = services.article_create(
        column=Column.objects.get(slug="news"),
        title="学会工作会议召开",
        body="<p>正文</p>",
        cover=cover,
        by=staff_user,
    )
    services.article_submit(article=article, by=staff_user)
    services.article_approve(article=article, by=UserFactory(role="staff", is_staff=True))
    listing = client.get(reverse("content:index")).content.decode()
    assert cover.url("thumb") in listing and cover.url("detail") not in listing
    page = client.get(article.get_absolute_url()).content.decode()
    assert cover.url("detail") in page
    assert f'content="https://www.phkx.example{cover.url("social")}"' in page
