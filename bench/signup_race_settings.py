"""Settings of the sign-up race: the portal's own, with plain static storage
(the benchmark does not run collectstatic)."""

from kexie.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
