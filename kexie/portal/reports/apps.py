from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kexie.portal.reports"
    label = "reports"
    verbose_name = _("工作报表")

    def ready(self):
        from kexie.portal.reports import feedback

        feedback.register()
