from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KexieConfig(AppConfig):
    name = "kexie"
    verbose_name = _("门户")

    def ready(self):
        from kexie import invalidation
        from kexie.platform.lib import admin_inputs, choices, csrf_random, history, settings_reads

        invalidation.connect()
        admin_inputs.install()
        choices.install()
        history.install()
        csrf_random.install()
        settings_reads.install()
