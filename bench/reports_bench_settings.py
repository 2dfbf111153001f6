"""Settings of the reports benchmark: the portal's own settings with plain
static storage (the benchmark does not run collectstatic)."""

from kexie.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
