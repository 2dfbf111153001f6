"""Settings of the sign-up storm: the portal's own (per-address limit included:
each visitor comes from its own address), with plain static storage, since the
benchmark does not run collectstatic."""

from kexie.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
