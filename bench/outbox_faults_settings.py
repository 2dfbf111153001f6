"""Settings of bench/outbox_faults.py: the portal's own, with plain static
storage (no collectstatic) and an SMS backend that logs every send."""

from kexie.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SMS_BACKEND = "outbox_faults_sms.FileSmsBackend"
