from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "kexie.platform.digests"
    label = "digests"
    verbose_name = _("每日摘要")
