"""Settings of the sign-up race: the portal's own, with plain static storage
(the benchmark does not run collectstatic) and no per-address sign-up limit."""

from kexie.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# 500 clients on one loopback address: the per-address sign-up limit would
# refuse all but the first few.
LIMIT_SIGNUP = ""
LIMIT_SIGNUP_PER_RECIPIENT = ""
