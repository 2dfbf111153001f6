"""The admin as one more door into the services (never a way around them).

- ``run_action`` runs a service on each selected row of an admin action, one
  row at a time, so each row is checked, locked and recorded as a single
  change would be, and reports what was done and what was refused.
- ``ServiceAdminMixin`` sends the change form's save, its inline rows and the
  delete page through services (``save_service``, ``formset_services``,
  ``delete_service``); a refusal
  (``ValidationError``) rolls the whole request back and is shown as a message,
  as a refused action is.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def run_action(model_admin, request, queryset, service: Callable, done_message: str) -> int:
    """Call ``service(obj)`` for each selected row; returns how many succeeded."""
    done = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                service(obj)
        except ValidationError as error:
            model_admin.message_user(request, f"{obj}: {refusal_text(error)}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    return done


class _Refused(Exception):
    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


class ServiceAdminMixin:
    """Saves and deletes of the admin go through services.

    Subclasses define ``save_service(request, obj, form, change)`` (which
    saves ``obj`` through the service) and ``delete_service(request, obj)``; a
    hook left undefined keeps Django's own save or delete. Bulk deletion goes
    row by row through ``delete_service``.
    """

    save_service = None
    delete_service = None
    #: Inline model → ``service(request, instance)`` saving one row of its formset.
    formset_services: dict = {}

    def save_model(self, request, obj, form, change):
        if self.save_service is None:
            return super().save_model(request, obj, form, change)
        try:
            self.save_service(request, obj, form, change)
        except ValidationError as error:
            raise _Refused(error) from error

    def delete_model(self, request, obj):
        if self.delete_service is None:
            return super().delete_model(request, obj)
        try:
            self.delete_service(request, obj)
        except ValidationError as error:
            raise _Refused(error) from error

    def delete_queryset(self, request, queryset):
        if self.delete_service is None:
            return super().delete_queryset(request, queryset)
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        service = self.formset_services.get(formset.model)
        if service is None:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            try:
                service(request, instance)
            except ValidationError as error:
                raise _Refused(error) from error
        formset.save_m2m()

    def _refused(self, request, error: ValidationError):
        self.message_user(request, refusal_text(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # Django's own view runs in a transaction: a refusal undoes it all.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            return self._refused(request, refused.error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except _Refused as refused:
            return self._refused(request, refused.error)

    def changelist_view(self, request, extra_context=None):
        # The "delete selected" action ends in ``delete_queryset``.
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except _Refused as refused:
            return self._refused(request, refused.error)
