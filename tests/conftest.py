"""The fixed cast of users every app's tests share.

staff, manager (of ``manager_branch``), enterprise owner, other enterprise,
expert, other expert, public user, and the anonymous visitor (``client``).
Apps attach their own records to these users in ``tests/<app>/conftest.py``.
"""

import os

import hypothesis
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kexie.platform.accounts.models import User
from kexie.platform.outbox.sms import LocmemSmsBackend
from tests.factories import BranchFactory, OrgManagerFactory, TownFactory, UserFactory

requires_postgres = pytest.mark.skipif(
    not settings.IS_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)"
)
requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (set REDIS_URL)"
)


def pytest_configure(config):
    # The production hasher takes half a second per password on a CI core, by
    # design; the suite creates and logs in users by the hundred. (Django's
    # documentation recommends this for tests.)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A timing is never an assertion: on a busy machine (CI, two workers) Hypothesis'
    # health check of how fast inputs are generated, and its per-example deadline,
    # fail tests whose properties hold.
    hypothesis.settings.register_profile(
        "kexie", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
    )
    hypothesis.settings.load_profile("kexie")


@pytest.fixture(autouse=True)
def _chinese_to_begin_with():
    """Each test starts in Chinese. A request activates the visitor's language
    in its thread and leaves it there (as Django's LocaleMiddleware does), so a
    test after one that fetched an English page would otherwise see English
    messages from services and forms."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The rows data migrations load (disciplines, audiences) are there for
    every test: a transactional test flushes every table when it ends, so a
    test after it finds them gone and gets them back here."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    from experts.models import Discipline
    from kexie.portal.content.models import Column
    from outreach.models import Audience
    from tests.helpers import load_reference_data

    with request.getfixturevalue("django_db_blocker").unblock():
        if not (
            Discipline.objects.exists() and Audience.objects.exists() and Column.objects.exists()
        ):
            load_reference_data()


@pytest.fixture(scope="session", autouse=True)
def _no_leaked_connections_at_teardown(django_db_setup, django_db_blocker):
    """Threads of concurrency tests and test workers may leave a PostgreSQL
    session open; end them before pytest-django drops the test database
    (this fixture depends on ``django_db_setup``, so it is torn down first)."""
    yield
    if not settings.IS_POSTGRES:
        return
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in the test's own thread, so tests see their effects at once.

    Tests that need the real broker and a worker are marked ``celery_worker``
    and switch eager mode off themselves (see ``tests/kexie/test_outbox_worker.py``).
    """
    from kexie.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache of its own.

    A per-process memory cache even when REDIS_URL is set: parallel test
    workers would otherwise share, and flush, one Redis database.
    """
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()
    # The admin's sidebar lists kept in the process by user id: ids are reused
    # between tests (SQLite hands out a rolled-back id again).
    from django.contrib import admin

    admin.site._app_lists.clear()
    # The change lists' counts and dates a process has seen, kept until they
    # expire in the cache: this test's cache is another.
    from kexie.platform.lib import admin_lists

    admin_lists._seen.clear()
    # The association's profile kept for the footer: no test starts with one
    # (each writes its own, which forgets this), and the fresh cache's
    # generations match no copy an earlier test kept.
    from kexie.portal.about import kept

    kept.assume_none()
    yield


@pytest.fixture
def staff_user(db):
    return UserFactory(name="工作人员", role=User.Role.STAFF, is_staff=True)


@pytest.fixture
def manager_branch(db):
    # The town is named, not drawn from the factory's cycle, so that tests
    # comparing towns do not depend on how many towns earlier tests made.
    return BranchFactory(name="当湖街道科协", town=TownFactory(name="当湖街道"))


@pytest.fixture
def manager_user(manager_branch):
    return OrgManagerFactory(user__name="基层管理员", branch=manager_branch).user


@pytest.fixture
def enterprise_user(db):
    return UserFactory(name="企业用户", role=User.Role.ENTERPRISE)


@pytest.fixture
def other_enterprise_user(db):
    return UserFactory(name="另一企业用户", role=User.Role.ENTERPRISE)


@pytest.fixture
def expert_user(db):
    return UserFactory(name="专家用户", role=User.Role.EXPERT)


@pytest.fixture
def other_expert_user(db):
    return UserFactory(name="另一专家用户", role=User.Role.EXPERT)


@pytest.fixture
def public_user(db):
    return UserFactory(name="市民用户", role=User.Role.PUBLIC)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
    return client


@pytest.fixture
def login():
    """``login(user)`` returns a test client logged in as that user."""
    return _logged_in


@pytest.fixture
def staff_client(staff_user):
    return _logged_in(staff_user)


@pytest.fixture
def manager_client(manager_user):
    return _logged_in(manager_user)
