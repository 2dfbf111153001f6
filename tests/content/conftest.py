"""Articles for the content tests: written, submitted and approved through the
services, by the shared cast plus a second member of staff (the reviewer)."""

import pytest

from kexie.platform.accounts.models import User
from kexie.portal.content import services
from kexie.portal.content.models import Column
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def reviewer(db):
    return UserFactory(name="审核人", role=User.Role.STAFF, is_staff=True)


@pytest.fixture
def news(db):
    return Column.objects.get(slug="news")


@pytest.fixture
def notices(db):
    return Column.objects.get(slug="notices")


@pytest.fixture
def write(staff_user, news):
    """``write(title, by=…, column=…, **fields)``: a draft through the service."""

    def _write(title="平湖市科协召开学会工作会议", *, by=None, column=None, **fields):
        fields.setdefault("body", "<p>会议总结了上一年度学会工作。</p>")
        return services.article_create(
            column=column or news, title=title, by=by or staff_user, **fields
        )

    return _write


@pytest.fixture
def publish(reviewer, staff_user):
    """``publish(article, at=None)``: submitted by its writer, approved by
    another member of staff (now, or scheduled ``at``)."""

    def _publish(article, *, at=None):
        services.article_submit(article=article, by=article.created_by)
        approver = reviewer if article.created_by_id != reviewer.pk else staff_user
        return services.article_approve(article=article, by=approver, publish_at=at)

    return _publish


@pytest.fixture
def published(write, publish):
    def _published(title="平湖市科协召开学会工作会议", **fields):
        return publish(write(title, **fields))

    return _published
