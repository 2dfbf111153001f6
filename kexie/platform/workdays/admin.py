from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kexie.platform.adminsite.history import HistoryAdmin
from kexie.platform.workdays.calendar import library_years
from kexie.platform.workdays.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]

    def changelist_view(self, request, extra_context=None):
        first, last = library_years()
        extra_context = {
            **(extra_context or {}),
            "title": _("节假日调整（节假日库已含%(first)s–%(last)s年，其后的年份请在此录入）")
            % {"first": first, "last": last},
        }
        return super().changelist_view(request, extra_context=extra_context)
