from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AboutConfig(AppConfig):
    name = "kexie.portal.about"
    label = "about"
    verbose_name = _("关于我们")
