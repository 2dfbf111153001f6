from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "kexie.platform.privacy"
    label = "privacy"
    verbose_name = _("个人信息保护")

    def ready(self):
        from kexie.platform.privacy import platform_sources

        platform_sources.register()
