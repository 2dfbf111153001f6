"""Exports from the Django admin (django-import-export) are logged like every
other staff export: who, when, what, how many rows, which columns."""

from django.utils.translation import gettext as _

from kexie.platform.privacy.services import export_log


class LoggedExportMixin:
    """Put before import-export's ``ExportMixin`` in an admin's bases."""

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        export_log(
            user=request.user,
            what=_("管理后台导出：%(model)s") % {"model": self.model._meta.verbose_name_plural},
            rows=data.height,
            fields=data.headers or [],
        )
        return data
