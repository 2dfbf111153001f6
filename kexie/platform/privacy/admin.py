from django.contrib import admin

from kexie.platform.lib.admin_doors import ReadOnlyAdminMixin
from kexie.platform.privacy.models import Consent, ErasureLog, ExportLog


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["given_at", "notice", "version", "record_type", "record_id"]
    list_filter = ["notice", "version", "record_type"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "what", "rows", "fields"]
    list_filter = ["at"]
    search_fields = ["what"]


@admin.register(ErasureLog)
class ErasureLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "records", "detail"]
    list_filter = ["kind", "at"]
