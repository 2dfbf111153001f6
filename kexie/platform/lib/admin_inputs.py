"""Bad input to the admin answered as bad input, not as a 500.

A stranger's fuzz as a manager (``bench/stranger_fuzz.py``) made the admin
fail in three places Django itself leaves open; a crafted request is all it
takes, so each is closed for every model admin at once:

- an autocomplete field (event, society, person …) re-rendered with a value
  that is no id (``pk__gt``, ``2026-02-30``): Django's widget looks the value
  up to show it and the lookup raised. Values that are no id of the target
  are dropped from what the widget shows; the form still says the field is
  wrong.
- an action posted with a selected row that is no id (``_selected_action=abc``):
  Django filtered by it and the filter raised. Such a selection changes
  nothing, and the list says so.
- a list filter's value holding a NUL character (``?status__exact=%00``),
  which PostgreSQL refuses in any text: answered as Django answers any bad
  lookup, the list shown again with ``?e=1``.
"""

from django.contrib import messages
from django.contrib.admin import ModelAdmin, helpers
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from kexie.platform.lib.inputs import parse_id

_django_optgroups = AutocompleteMixin.optgroups
_django_response_action = ModelAdmin.response_action
_django_changelist_view = ModelAdmin.changelist_view


_INTEGER_KEYS = ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField")


def _takes(field, value) -> bool:
    """Whether ``value`` can be looked up in ``field`` (a target's key)."""
    if field.get_internal_type() in _INTEGER_KEYS:
        return parse_id(value) is not None
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return "\x00" not in str(value)


def _optgroups(self, name, value, attr=None):
    opts = self.field.remote_field.model._meta
    to_field = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
    value = [v for v in value if str(v) in self.choices.field.empty_values or _takes(to_field, v)]
    return _django_optgroups(self, name, value, attr)


def _response_action(self, request, queryset):
    selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    if not all(_takes(self.model._meta.pk, value) for value in selected):
        self.message_user(request, _("所选的条目无效，没有做任何更改。"), messages.WARNING)
        return None
    return _django_response_action(self, request, queryset)


def _changelist_view(self, request, extra_context=None):
    if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
    return _django_changelist_view(self, request, extra_context)


def install() -> None:
    """Called once from ``KexieConfig.ready``."""
    AutocompleteMixin.optgroups = _optgroups
    ModelAdmin.response_action = _response_action
    ModelAdmin.changelist_view = _changelist_view
