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

    Uploads made while building go to a folder of the module's own, kept in
    ``settings.PRIVATE_MEDIA_ROOT`` for the module's tests too (``media_root``
    in the world; the ``world_media`` fixture puts it back for each test).
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
            override_settings(CACHES=_TEST_CACHES, PRIVATE_MEDIA_ROOT=media_root / "private"),
            translation.override(settings.LANGUAGE_CODE),
            transaction.atomic(),
        ):
            cache.clear()
            if not Discipline.objects.exists():
                load_reference_data()
            world = build()
            world["media_root"] = media_root / "private"
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
