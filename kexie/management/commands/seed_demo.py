"""Fill the database with the demo portal. Safe to run again: it updates what
exists instead of adding duplicates.

Each app contributes a ``<app>/demo.py`` with ``seed(*, stdout)``; they run in
the order of ``DEMO_MODULES`` because later apps use earlier apps' records.
"""

import importlib
import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from kexie.platform.accounts.models import User

DEMO_MODULES = [
    "members.demo",
    "outreach.demo",
    "experts.demo",
    "kexie.portal.content.demo",
    "kexie.portal.about.demo",
]

DEMO_STAFF_EMAIL = "staff@demo.kexie"
DEMO_PUBLIC_EMAIL = "public@demo.kexie"
DEMO_PASSWORD = "kexie-demo-2026"  # noqa: S105  (printed to the console for the demo)


class Command(BaseCommand):
    help = "Load the demo data (re-runnable)."

    def handle(self, *args, **options):
        # The demo's own notifications are delivered into memory (each stays in the
        # outbox, as sent, for staff to read); printed, their thousands of lines would
        # bury the log-ins this command ends with.
        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SMS_BACKEND="kexie.platform.outbox.sms.LocmemSmsBackend",
        )
        # Eager tasks log one line each; the demo runs thousands.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        with quiet, transaction.atomic():
            staff = self._staff_user()
            public = self._public_user()
            for module_name in DEMO_MODULES:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                self.stdout.write(f"seeding {module_name} …")
                module.seed(stdout=self.stdout)
            # The search index is derived from everything above.
            call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(f"  public user log-in: {public.email} / {DEMO_PASSWORD}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready. Staff log-in: {staff.email} / {DEMO_PASSWORD}")
        )

    def _staff_user(self) -> User:
        staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
        if staff is None:
            staff = User.objects.create_superuser(
                email=DEMO_STAFF_EMAIL, password=DEMO_PASSWORD, name="科协工作人员（演示）"
            )
        return staff

    def _public_user(self) -> User:
        """A visitor with an account (市民), to try the portal as one."""
        public = User.objects.filter(email=DEMO_PUBLIC_EMAIL).first()
        if public is None:
            public = User.objects.create_user(
                email=DEMO_PUBLIC_EMAIL,
                password=DEMO_PASSWORD,
                name="市民（演示）",
                role=User.Role.PUBLIC,
            )
        return public
