"""Records built once and shared by many tests, as Django's ``setUpTestData``.

A permission matrix asks the same world hundreds of questions; building it for
each case was most of the suite's time. ``shared_world(build)`` makes a
module-scoped fixture: ``build()`` runs once per test module (and per test
worker) inside a transaction that is rolled back after the module's last test.
Each test runs in its own savepoint inside it (pytest-django's ``db``), so
what one test writes is gone before the next, and gets a deep copy of the
built objects, so what one test changes on an instance is not seen either.

The build runs with the same settings the tests see (a private in-memory
cache, Chinese, eager Celery and the outbox as tests have them); a module that
uses a shared world must not contain transactional tests, which would flush
the world away.
"""

import copy

import pytest
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from tests.helpers import load_reference_data

_TEST_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "world"}
}


def shared_world(build):
    """``build`` → a module-scoped fixture holding what it returns.

    Uploads made while building go to folders of the module's own, to be put
    back in ``settings.PRIVATE_MEDIA_ROOT`` and ``settings.MEDIA_ROOT`` by the
    module's per-test fixture (``media_root`` and ``public_media_root`` in the
    world).
    """

    @pytest.fixture(scope="module")
    def _fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        from django.core.cache import cache

        from experts.models import Discipline
        from kexie.celery import app

        eager = app.conf.task_always_eager
        app.conf.task_always_eager = True
        media_root = tmp_path_factory.mktemp("world-media")
        with (
            django_db_blocker.unblock(),
            override_settings(
                CACHES=_TEST_CACHES,
                PRIVATE_MEDIA_ROOT=media_root / "private",
                MEDIA_ROOT=media_root / "public",
            ),
            translation.override(settings.LANGUAGE_CODE),
            transaction.atomic(),
        ):
            cache.clear()
            if not Discipline.objects.exists():
                load_reference_data()
            world = build()
            world["media_root"] = media_root / "private"
            world["public_media_root"] = media_root / "public"
            try:
                yield world
            finally:
                transaction.set_rollback(True)
                app.conf.task_always_eager = eager

    _fixture.__name__ = f"_{build.__name__}"
    return _fixture


def copy_of(world: dict) -> dict:
    """The shared world, deep-copied for one test (as ``setUpTestData``'s attributes)."""
    return copy.deepcopy(world)


def cast_users() -> dict:
    """The cast of ``tests/conftest.py`` made for a shared world: role → user, and the
    manager's branch under ``"manager_branch"``."""
    from kexie.platform.accounts.models import User
    from tests.factories import BranchFactory, OrgManagerFactory, TownFactory, UserFactory

    manager_branch = BranchFactory(name="当湖街道科协", town=TownFactory(name="当湖街道"))
    return {
        "public": UserFactory(name="市民用户", role=User.Role.PUBLIC),
        "enterprise": UserFactory(name="企业用户", role=User.Role.ENTERPRISE),
        "expert": UserFactory(name="专家用户", role=User.Role.EXPERT),
        "manager": OrgManagerFactory(user__name="基层管理员", branch=manager_branch).user,
        "staff": UserFactory(name="工作人员", role=User.Role.STAFF, is_staff=True),
        "manager_branch": manager_branch,
    }
