"""Settings of the outreach benchmark: the portal's own settings, plus a URL
for a bare Django view measured as the reference, and plain static storage
(the benchmark does not run collectstatic)."""

from kexie.settings import *  # noqa: F403

ROOT_URLCONF = "outreach_bench_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
