"""The content demo: a dozen articles per column from the JSON files, each
written by one member of staff and approved by another, with drawn covers and
application forms; safe to load twice."""

import functools
import io
from datetime import timedelta

import pytest

from kexie.platform.pictures import drawing
from kexie.portal.content import demo
from kexie.portal.content.models import Article, Attachment, Column

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_drawings(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The same drawing code, at a size that keeps the test quick.
    monkeypatch.setattr(drawing, "cover", functools.partial(drawing.cover, size=(240, 160)))


def _seed() -> str:
    from kexie.management.commands.seed_demo import DEMO_STAFF_EMAIL
    from kexie.platform.accounts.models import User

    if not User.objects.filter(email=DEMO_STAFF_EMAIL).exists():
        User.objects.create_superuser(email=DEMO_STAFF_EMAIL, password="x", name="演示工作人员")
    out = io.StringIO()
    demo.seed(stdout=out)
    return out.getvalue()


def test_a_dozen_articles_per_column_reviewed_by_a_second_member_of_staff(client):
    out = _seed()
    assert "reviewer@demo.kexie" in out
    for column in Column.objects.all():
        assert Article.objects.public().filter(column=column).count() == 12, column.slug
    # One waits for the reviewer and one went back to its writer, for the workbench.
    assert Article.objects.filter(status=Article.Status.SUBMITTED).count() == 1
    assert Article.objects.filter(status=Article.Status.RETURNED).count() == 1
    for article in Article.objects.filter(status=Article.Status.PUBLISHED):
        assert article.reviewed_by_id not in (article.created_by_id, None)
        assert article.publish_at == article.reviewed_at < article.created_at + timedelta(days=2)
    news = Article.objects.public().filter(column__slug="news")
    assert not news.filter(cover=None).exists()
    assert news.filter(body__contains="<figure>").exists()
    notices = Article.objects.filter(column__slug="notices")
    assert [a for a in notices if a.is_pinned and not a.is_closed()]
    assert [a for a in notices if a.is_closed()]
    form = Attachment.objects.first()
    assert form.content_type == "application/pdf"
    download = client.get(form.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "市科协第十次代表大会" in client.get("/").content.decode()

    _seed()
    assert Article.objects.count() == 50
