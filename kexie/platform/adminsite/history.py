"""The admin's change history, read by staff rather than by developers."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """Old and new values as the change form shows them: a choice's label
    (“已发布”, not ``published``), yes or no, a dash for nothing."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return gettext("是") if value else gettext("否")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    """Old versions are read, never posted back: restoring one would save it
    around the services (a status, a total, a row the service locks) and
    without the inline rows of its time. A change goes through the change form."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
