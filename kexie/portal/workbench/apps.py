from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "kexie.portal.workbench"
    label = "workbench"
    verbose_name = _("工作台")

    def ready(self):
        # The blocks of the apps the workbench ships with; other features
        # register theirs from their own AppConfig.ready.
        from kexie.portal.workbench import aftercare_blocks, blocks  # noqa: F401
