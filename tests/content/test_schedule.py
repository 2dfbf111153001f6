"""Scheduled publication and closing notices, through the page cache: a page
changes at the moment named, not before, and not a cache bucket later."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from kexie.portal.content import services, tasks
from kexie.portal.content.models import Article
from kexie.portal.search.models import SearchDocument

S = Article.Status
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
NINE = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_pages(settings):
    # A long bucket: only the clock can make the page change within it.
    settings.PAGE_CACHE_SECONDS = 86400  # one bucket from 08:00 (00:00 UTC)


def test_scheduled_article_appears_at_its_time_and_not_before(write, publish, client):
    index = reverse("content:index")
    with time_machine.travel(MORNING, tick=False) as clock:
        article = write("关于举办2026年青少年科技创新大赛的通知")
        publish(article, at=NINE)
        article.refresh_from_db()
        assert article.status == S.SCHEDULED
        assert client.get(index).headers["X-Page-Cache"] == "miss"
        assert "青少年科技创新大赛" not in client.get(index).content.decode()

        clock.move_to(NINE - timedelta(seconds=1))
        before = client.get(index)
        assert before.headers["X-Page-Cache"] == "hit"
        assert "青少年科技创新大赛" not in before.content.decode()
        assert client.get(article.get_absolute_url()).status_code == 404

        clock.move_to(NINE)
        after = client.get(index)
        assert after.headers["X-Page-Cache"] == "miss"
        assert "青少年科技创新大赛" in after.content.decode()
        assert client.get(article.get_absolute_url()).status_code == 200


def test_the_periodic_task_records_it_and_puts_it_in_search(write, publish):
    with time_machine.travel(MORNING, tick=False) as clock:
        article = write("关于举办2026年青少年科技创新大赛的通知")
        publish(article, at=NINE)
        assert tasks.publish_due() == 0
        assert not SearchDocument.objects.filter(kind="article", object_id=article.pk).exists()
        clock.move_to(NINE + timedelta(seconds=30))
        assert tasks.publish_due() == 1
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert SearchDocument.objects.filter(kind="article", object_id=article.pk).exists()


def test_closed_notice_stays_readable_marked_closed_and_leaves_the_top(
    write, publish, notices, client
):
    closing = datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI)
    with time_machine.travel(MORNING, tick=False) as clock:
        notice = write(
            "2026年度科普项目申报通知", column=notices, is_pinned=True, closes_at=closing
        )
        publish(notice)
        page = client.get(notices.get_absolute_url()).content.decode()
        assert "置顶" in page and "已截止" not in page

        clock.move_to(closing)
        page = client.get(notices.get_absolute_url()).content.decode()
        assert "已截止" in page
        assert "置顶</span>" not in page
        detail = client.get(notice.get_absolute_url())
        assert detail.status_code == 200
        assert "已截止" in detail.content.decode()


def test_approving_with_a_past_time_publishes_now(write, staff_user, reviewer):
    with time_machine.travel(NINE, tick=False):
        article = write()
        services.article_submit(article=article, by=staff_user)
        services.article_approve(article=article, by=reviewer, publish_at=MORNING)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.publish_at == NINE
