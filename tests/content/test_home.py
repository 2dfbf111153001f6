"""The home page of the portal: 工作动态 with pictures beside 通知公告 (pinned
open notices first, closed ones marked), the other columns, upcoming events
with their pictures and the venues with photos; thumbnails only, a fixed
number of queries, and in the page cache with exact invalidation."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kexie.platform.lib import pagecache
from kexie.platform.pictures.models import Picture
from kexie.portal.content.models import Article, Column
from outreach.models import Venue
from tests.factories import TownFactory
from tests.outreach.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _picture(n: int) -> Picture:
    return Picture.objects.create(
        alt=f"图{n}",
        original="pictures/x.jpg",
        width=1600,
        height=1200,
        renditions={
            size: {"name": f"pictures/{size}/{n:020x}.webp", "width": w, "height": h}
            for size, w, h in (("thumb", 480, 320), ("detail", 1200, 900), ("social", 1200, 630))
        },
    )


def bulk_articles(count: int) -> None:
    """``count`` public articles in each column, each with its cover, straight
    into the tables: the budget is about reading them."""
    now = timezone.now()
    for column in Column.objects.all():
        covers = Picture.objects.bulk_create(
            Picture(
                alt=f"{column.slug}封面{n}",
                original="pictures/x.jpg",
                width=1600,
                height=1200,
                renditions={
                    "thumb": {"name": f"pictures/t/{n:020x}.webp", "width": 480, "height": 320}
                },
            )  # fmt: skip
            for n in range(count)
        )
        Article.objects.bulk_create(
            Article(
                column=column,
                title=f"{column.name}第{n}篇",
                summary="摘要",
                body="<p>正文</p>",
                cover=covers[n],
                is_pinned=column.allows_pinning and n % 3 == 0,
                closes_at=now + timedelta(days=n - 2) if column.allows_pinning else None,
                status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(minutes=n + 1),
            )
            for n in range(count)
        )


def test_home_leads_with_news_pictures_and_pinned_notices(published, client, news, notices):
    cover = _picture(1)
    published("市科协召开第十次代表大会", cover=cover, summary="回顾五年工作。")
    published("关于开展科普教育基地申报工作的通知", column=notices, is_pinned=True,
              closes_at=timezone.now() + timedelta(days=10))  # fmt: skip
    published("关于推荐优秀科技工作者的通知", column=notices, is_pinned=True,
              closes_at=timezone.now() + timedelta(minutes=1))  # fmt: skip
    published("关于征集科普漫画作品的通知", column=notices)
    closed = Article.objects.get(title="关于推荐优秀科技工作者的通知")
    Article.objects.filter(pk=closed.pk).update(closes_at=timezone.now() - timedelta(days=1))

    page = client.get("/").content.decode()
    assert "市科协召开第十次代表大会" in page and "回顾五年工作。" in page
    assert cover.url("thumb") in page
    assert cover.url("detail") not in page  # lists show thumbnails only
    notice_board = page[page.index('id="home-column-notices"') :]
    # The open pinned notice leads; the closed one stays, marked, below the newer one.
    assert notice_board.index("科普教育基地申报") < notice_board.index("科普漫画作品")
    assert notice_board.index("科普漫画作品") < notice_board.index("优秀科技工作者")
    assert notice_board.count("置顶") == 1
    assert "已截止" in notice_board


def test_home_shows_events_with_their_pictures_and_venues_with_photos(client):
    poster = _picture(2)
    photo = _picture(3)
    EventFactory(
        title="航天科普研学营", poster=poster, starts_at=timezone.now() + timedelta(days=3)
    )
    VenueFactory(name="中国航天科普馆", kind=Venue.Kind.SPACE_MUSEUM, picture=photo)
    VenueFactory(name="没有照片的阵地")
    page = client.get("/").content.decode()
    assert "航天科普研学营" in page and poster.url("thumb") in page
    assert "中国航天科普馆" in page and photo.url("thumb") in page
    assert "没有照片的阵地" not in page  # the home page shows places with a photo
    assert f"全市共有科普阵地 {Venue.objects.count()} 处" in page


def test_a_venue_card_names_its_level_and_kind_together(client):
    # In English the two are separate words ("Provincial Science education base");
    # written one after the other they ran together ("ProvincialScience …").
    VenueFactory(
        name="院士科普基地",
        kind=Venue.Kind.BASE,
        level=Venue.Level.PROVINCIAL,
        town=TownFactory(name="黄姑镇"),
        picture=_picture(4),
    )
    page = client.get("/").content.decode()
    assert "黄姑镇 · 省级科普教育基地" in page


def test_columns_are_named_in_the_readers_language(published, client, settings):
    # The shipped columns' names are in the catalogue; one staff add reads as written.
    notices = Column.objects.get(slug="notices")
    published("关于征集科普项目的通知", column=notices)
    own = Column.objects.create(slug="societies", name="学会风采", order=9)
    published("机械工程学会年会召开", column=own)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get("/").content.decode()
    assert '<h2 class="h4" id="home-column-notices">Notices</h2>' in home
    assert '<h2 class="h4" id="home-column-societies">学会风采</h2>' in home
    listing = client.get(notices.get_absolute_url()).content.decode()
    assert '<h1 class="h3 mb-3">Notices</h1>' in listing
    assert '<h1 class="h3 mb-3">通知公告</h1>' not in listing


def test_a_column_staff_take_off_the_home_page_is_not_shown(published, client):
    science = Column.objects.get(slug="science")
    published("返回舱是怎样安全回家的", column=science)
    assert "返回舱是怎样安全回家的" in client.get("/").content.decode()
    Column.objects.filter(pk=science.pk).update(on_home=False)
    assert "返回舱是怎样安全回家的" not in client.get("/").content.decode()


# Queries: the columns on the home page and their newest articles (one
# window query with the covers); upcoming events and their audiences; the
# venues with photos and the venue figures; the members' four figures; the
# 科协帮 figures and needs (as counted in tests/experts and tests/members).
@pytest.mark.parametrize("rows", [5, 200])
def test_home_page_query_budget(rows, client, django_assert_max_num_queries):
    bulk_articles(rows)
    for n in range(min(rows, 20)):
        EventFactory(starts_at=timezone.now() + timedelta(days=n + 1), cover=_picture(100 + n))
        VenueFactory(picture=_picture(200 + n))
    with django_assert_max_num_queries(16):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "工作动态第0篇" in page and "科普知识第0篇" in page
    assert 'loading="lazy"' in page


@pytest.mark.django_db(transaction=True)
def test_publishing_an_article_shows_on_the_cached_home_page_at_once(write, publish):
    pagecache.local_pages.clear()
    client = Client()
    article = write("平湖市科协召开学会工作会议")
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    publish(article)
    response = client.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "平湖市科协召开学会工作会议" in response.content.decode()
    picture = _picture(4)
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    picture.alt = "改过的替代文本"
    picture.save()
    assert client.get("/").headers["X-Page-Cache"] == "miss"
