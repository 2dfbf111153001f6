"""Articles and home blocks kept apart from the pages (content/rendered.py,
kexie/platform/home_blocks.py): pages the page cache does not serve
(``PAGE_CACHE_SECONDS=0`` here, as for a signed-in visitor) render each
article's entry, each article's page and each home block once, and a change
of anything they show is on the next page at once.

These tests commit for real (``transaction=True``): parts are kept only
outside a transaction, and dependencies are bumped on commit, as in production.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from experts.models import TechNeed
from kexie.platform.lib import pagecache
from kexie.portal.content import services
from kexie.portal.content.models import Column
from outreach.services.events import event_save
from tests.experts.factories import NeedFactory
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    pagecache.local_pages.clear()


def _body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    return response.content.decode()


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        _body(client, url)
    return [query["sql"] for query in queries]


# Kept: the page's rows with the list's count (kept beside the columns until
# a content write or the content clock's next moment); nothing of the twenty
# articles: no query at all.
def test_the_article_list_rendered_again_reads_nothing(published):
    for n in range(3):
        published(f"科普讲座第{n}场")
    client = Client()
    _body(client, "/news/")
    _body(client, "/news/news/")
    assert _queries(client, "/news/") == []
    assert _queries(client, "/news/news/") == []


def test_an_article_published_shows_on_the_kept_list_at_once(published):
    published("平湖市科协召开学会工作会议")
    client = Client()
    assert "平湖市科协召开学会工作会议" in _body(client, "/news/")
    assert _queries(client, "/news/") == []
    published("青少年科技创新大赛开幕")
    body = _body(client, "/news/")
    assert "青少年科技创新大赛开幕" in body and "平湖市科协召开学会工作会议" in body


# Kept: the article's row with its column and organisation; nothing it lists.
def test_an_article_rendered_again_reads_only_its_row(published):
    article = published()
    client = Client()
    _body(client, article.get_absolute_url())
    assert len(_queries(client, article.get_absolute_url())) == 1


def test_a_correction_shows_on_the_list_and_the_page_at_once(published, staff_user):
    article = published("平湖市科协召开学会工作会议")
    client = Client()
    assert "平湖市科协召开学会工作会议" in _body(client, "/news/")
    assert "会议总结了上一年度学会工作" in _body(client, article.get_absolute_url())
    article.title = "平湖市科协召开第九届学会工作会议"
    article.body = "<p>会议表彰了优秀学会。</p>"
    services.article_correct(article=article, by=staff_user, note="补充届次")
    assert "平湖市科协召开第九届学会工作会议" in _body(client, "/news/")
    page = _body(client, article.get_absolute_url())
    assert "会议表彰了优秀学会" in page
    assert "补充届次" in page


def test_tags_and_a_linked_event_renamed_show_on_the_page_at_once(published):
    article = published()
    event = EventFactory(title="航天科普讲座")
    client = Client()
    _body(client, article.get_absolute_url())
    services.article_set_tags(article=article, names=["航天"])
    article.related_events.add(event)
    page = _body(client, article.get_absolute_url())
    assert "航天</span>" in page
    assert "航天科普讲座" in page
    event.title = "北斗导航科普讲座"
    event_save(event=event)
    assert "北斗导航科普讲座" in _body(client, article.get_absolute_url())


# Kept: the blocks, the coming events' ids and their cards: no query at all.
def test_home_rendered_again_reads_nothing(published):
    published("平湖市科协召开学会工作会议")
    EventFactory(capacity=10)
    client = Client()
    _body(client, "/")
    assert _queries(client, "/") == []


def test_an_article_published_and_a_need_published_show_on_home_at_once(published):
    client = Client()
    _body(client, "/")
    published("科普日活动启动")
    assert "科普日活动启动" in _body(client, "/")
    need = NeedFactory(title="锂电池回收工艺", status=TechNeed.Status.PUBLISHED)
    assert need.title in _body(client, "/")


def test_a_column_renamed_shows_in_the_tabs_and_the_entries_at_once(published):
    published("平湖市科协召开学会工作会议")
    client = Client()
    body = _body(client, "/news/")
    column = Column.objects.get(slug="news")
    assert f">{column.name}</a>" in body
    _body(client, "/news/science/")
    column.name = "科协要闻"
    column.save()
    for url in ("/news/", "/news/news/", "/news/science/"):
        body = _body(client, url)
        assert ">科协要闻</a>" in body
    assert '<span class="badge text-bg-light border">科协要闻</span>' in _body(client, "/news/")
