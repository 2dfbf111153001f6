"""The public article pages: lists, an article, feeds; their query budgets."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kexie.platform.pictures.models import Picture
from kexie.portal.content.models import Article, Column
from tests.factories import SocietyFactory
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


def bulk_published(column: Column, count: int) -> None:
    """Rows straight into the tables, each with its cover: the budget is
    about reading them."""
    now = timezone.now()
    covers = Picture.objects.bulk_create(
        Picture(
            alt=f"封面{n}",
            original="pictures/x.jpg",
            width=1600,
            height=1200,
            renditions={
                "thumb": {"name": f"pictures/aa/{n:020x}.webp", "width": 480, "height": 320}
            },
        )
        for n in range(count)
    )
    Article.objects.bulk_create(
        Article(
            column=column,
            title=f"科普知识第{n}期",
            summary="摘要",
            body="<p>正文</p>",
            cover=covers[n],
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=n + 1),
        )
        for n in range(count)
    )


def test_column_lists_newest_first_with_its_feeds(published, client, news):
    published("第一篇")
    published("第二篇")
    response = client.get(news.get_absolute_url())
    page = response.content.decode()
    assert page.index("第二篇") < page.index("第一篇")
    assert reverse("content:feed_rss", args=["news"]) in page
    assert client.get(reverse("content:column", args=["no-such-column"])).status_code == 404


def test_article_page_shows_related_public_records_only(published, client):
    society = SocietyFactory(name="平湖市机械工程学会")
    shown = EventFactory(title="智能制造讲座")
    hidden = EventFactory(title="筹备中的活动", status="draft")
    article = published()
    article.related_events.set([shown, hidden])
    article.related_societies.set([society])
    page = client.get(article.get_absolute_url()).content.decode()
    assert "智能制造讲座" in page and "平湖市机械工程学会" in page
    assert "筹备中的活动" not in page


def test_rss_and_atom_feeds_list_public_articles(published, write, client, news):
    published("科协工作会议召开")
    write("还在草稿里的稿件")
    rss = client.get(reverse("content:feed_rss", args=["news"]))
    atom = client.get(reverse("content:feed_atom", args=["news"]))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for feed in (rss, atom):
        text = feed.content.decode()
        assert "科协工作会议召开" in text and "还在草稿里的稿件" not in text


def test_unknown_article_answers_404(client):
    assert client.get(reverse("content:article", args=[999999])).status_code == 404


@pytest.mark.parametrize("rows", [5, 200])
def test_article_list_query_budget(rows, client, django_assert_max_num_queries):
    science = Column.objects.get(slug="science")
    bulk_published(science, rows)
    # Nothing kept (inside a test's transaction): the columns for the tabs (the
    # column among them), one page of rows with the pager's count, the
    # articles of those with their column and cover. Kept: the page's rows
    # with the count (tests/content/test_kept.py).
    with django_assert_max_num_queries(3):
        response = client.get(science.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('loading="lazy"') == min(rows, 20)


@pytest.mark.parametrize("rows", [5, 200])
def test_all_articles_query_budget(rows, client, django_assert_max_num_queries):
    bulk_published(Column.objects.get(slug="science"), rows)
    # Nothing kept: the columns for the tabs, one page of rows with the count,
    # the articles of those with their column and cover. Kept: the rows.
    with django_assert_max_num_queries(3):
        client.get(reverse("content:index"))


def test_the_article_list_pages_as_a_pager_does_whatever_number_is_asked(client, monkeypatch):
    monkeypatch.setattr("kexie.portal.content.views.PER_PAGE", 2)
    bulk_published(Column.objects.get(slug="science"), 5)
    asked = {
        "1": (["科普知识第0期", "科普知识第1期"], 1),
        "2": (["科普知识第2期", "科普知识第3期"], 2),
        "3": (["科普知识第4期"], 3),
        "4": (["科普知识第4期"], 3),  # past the end: the last page
        "0": (["科普知识第4期"], 3),
        "abc": (["科普知识第0期", "科普知识第1期"], 1),
        "9" * 30: (["科普知识第4期"], 3),
        "9" * 5000: (["科普知识第0期", "科普知识第1期"], 1),
    }
    for number, (titles, shown) in asked.items():
        response = client.get(reverse("content:index"), {"page": number})
        assert response.status_code == 200
        body = response.content.decode()
        assert [t for t in (f"科普知识第{n}期" for n in range(5)) if t in body] == titles
        assert f"第 {shown} / 3 页" in body


def test_article_query_budget(published, client):
    article = published()
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())
    # the article's head (title, summary, cover); the article with column and
    # organisation for its body (not read while the body is kept,
    # tests/content/test_kept.py); tags, attachments, corrections, events,
    # venues, societies, needs
    assert len(queries) <= 9
