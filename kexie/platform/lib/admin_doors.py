"""The admin as one more door into the services (never a way around them).

- ``run_action`` runs a service on each selected row of an admin action, one
  row at a time, so each row is checked, locked and recorded as a single
  change would be, and reports what was done and what was refused.
- ``service_action`` declares an admin action that does so (the admin sweep,
  ``tests/sweeps/test_admin_doors.py``, refuses any other action); with a
  ``form``, the action first asks for what the service needs (a reason, a
  date) on a page of its own, as Django's own delete confirmation does.
- ``ServiceAdminMixin`` sends the change form's save, its inline rows (saved
  or deleted) and the delete page through services (``save_service``,
  ``formset_services``, ``formset_delete_services``, ``delete_service``); a
  refusal (``ValidationError``) rolls the whole request back: the change form
  is shown again as typed with the service's message, a refused delete is
  shown as a message, as a refused action is.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse


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


class ReadOnlyAdminMixin:
    """A record written only by services (a response, a certificate, a consent,
    a search document …): staff read it and its history in the admin, and
    change it only through ``service_action`` actions or the site's pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def calls_service(service: Callable) -> Callable:
    """Declares an admin action written by hand that calls ``service`` (for
    an action that does not act row by row, such as ranking a year)."""

    def mark(action):
        action.through_service = service
        return action

    return mark


def service_action(
    *, description, service: Callable, target: str, done_message, form=None, form_title=None
) -> Callable:
    """An admin action calling ``service(<target>=obj, by=user, **form_data)`` on
    each selected row (``target`` names the service's argument for the row).

    ``done_message`` is formatted with ``count``. With ``form`` (a form class),
    the first post shows the form for the selected rows; its valid post runs
    the service with the cleaned data, an invalid one shows the form again.
    """

    def action(model_admin, request, queryset):
        data = {}
        if form is not None:
            bound = form(request.POST if "apply" in request.POST else None)
            if not bound.is_valid():
                return _action_form_page(model_admin, request, queryset, bound, form_title)
            data = bound.cleaned_data
        run_action(
            model_admin,
            request,
            queryset,
            lambda obj: service(**{target: obj}, by=request.user, **data),
            str(done_message),
        )
        return None

    action.through_service = service
    return admin.action(description=description)(action)


def _action_form_page(model_admin, request, queryset, form, title):
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": opts,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/service_action_form.html", context)


class _Refused(Exception):
    """A service's refusal met while saving the change form; ``row`` is the
    prefix of the inline row it concerns (``reach_entries-0``), if any."""

    def __init__(self, error: ValidationError, row: str | None = None):
        super().__init__(error)
        self.error = error
        self.row = row


def _by_field(error: ValidationError) -> list[tuple[str | None, ValidationError]]:
    """The refusal's messages by the field they name (``None``: the whole form)."""
    if not hasattr(error, "error_dict"):
        return [(None, error)]
    return [
        (None if field == NON_FIELD_ERRORS else field, ValidationError(errors))
        for field, errors in error.error_dict.items()
    ]


def _attach(form, error: ValidationError) -> None:
    """Adds the refusal to ``form``: each message to the field it names when the
    form shows that field, else above the form."""
    for field, part in _by_field(error):
        form.add_error(field if field in form.fields else None, part)


def _refused_form(form_class, refused: _Refused):
    """``form_class`` refusing what the service refused, so Django's change view
    shows the form again as typed, with the message, and saves nothing."""

    class RefusedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            _attach(self, refused.error)
            return cleaned

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


def _refused_formset(formset_class, refused: _Refused):
    """``formset_class`` refusing the row the service refused: the message goes
    to that row's field, or above the rows (a row marked for deletion, a field
    the row does not show), so the formset is never valid."""

    class RefusedFormSet(formset_class):
        def clean(self):
            super().clean()
            if self.prefix != refused.row.rsplit("-", 1)[0]:
                return
            fields = [field for field, _part in _by_field(refused.error)]
            for form in self.forms:
                if form.prefix != refused.row or self._should_delete_form(form):
                    continue
                if all(field in form.fields for field in fields):
                    _attach(form, refused.error)
                    return
            raise ValidationError(refused.error.messages)

    RefusedFormSet.__name__ = formset_class.__name__
    return RefusedFormSet


class ServiceAdminMixin:
    """Saves and deletes of the admin go through services.

    Subclasses define ``save_service(request, obj, form, change)`` (which
    saves ``obj`` through the service) and ``delete_service(request, obj)``; a
    hook left undefined keeps Django's own save or delete. Bulk deletion goes
    row by row through ``delete_service``; inline rows through
    ``formset_services`` (saved) and ``formset_delete_services`` (marked for
    deletion).

    A refusal (``ValidationError``) rolls the change form's transaction back
    and shows the form again as the staff member typed it, the service's
    message on the field it names (on the inline row it concerns) or above
    the form: nothing typed is lost, nothing is saved. A refused delete or
    action is shown as a message.
    """

    save_service = None
    delete_service = None
    #: Inline model → ``service(request, instance)`` saving one row of its formset.
    formset_services: dict = {}
    #: Inline model → ``service(request, instance)`` deleting one row marked for deletion.
    formset_delete_services: dict = {}

    def save_model(self, request, obj, form, change):
        if getattr(request, "_admin_refusal", None) is not None:
            # Shown again after a refusal: its form is never valid (cannot happen).
            raise request._admin_refusal
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
        save = self.formset_services.get(formset.model)
        delete = self.formset_delete_services.get(formset.model)
        if save is None and delete is None:
            return super().save_formset(request, form, formset, change)
        # Nothing is written by Django here: deletions and saves follow, row by row.
        instances = formset.save(commit=False)
        rows = {id(row.instance): row.prefix for row in formset.forms}
        for obj in formset.deleted_objects:
            self._formset_row(request, delete or _plain_delete, obj, rows.get(id(obj)))
        for instance in instances:
            self._formset_row(request, save or _plain_save, instance, rows.get(id(instance)))
        formset.save_m2m()

    def _formset_row(self, request, service: Callable, instance, row: str | None) -> None:
        try:
            service(request, instance)
        except ValidationError as error:
            raise _Refused(error, row=row) from error

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_admin_refusal", None)
        if refused is not None and refused.row is None:
            form = _refused_form(form, refused)
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        refused = getattr(request, "_admin_refusal", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if refused is not None and refused.row is not None:
                formset = _refused_formset(formset, refused)
            yield formset, inline

    def _refused(self, request, error: ValidationError):
        self.message_user(request, refusal_text(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # Django's own view runs in a transaction: a refusal undoes it all.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            refusal = refused
        except ValidationError as error:
            # Refused by a service run after the rows (``save_related``).
            refusal = _Refused(error)
        # The same post once more, refused by its own form this time: Django
        # shows what was typed, with the message, and writes nothing.
        request._admin_refusal = refusal
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        finally:
            del request._admin_refusal

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except _Refused as refused:
            return self._refused(request, refused.error)

    def changelist_view(self, request, extra_context=None):
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            # Reading the list writes nothing: outside a transaction its count,
            # dates and rows may be kept (``admin_lists``).
            return super().changelist_view(request, extra_context)
        # The "delete selected" action ends in ``delete_queryset``.
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except _Refused as refused:
            return self._refused(request, refused.error)


def _plain_save(request, instance) -> None:
    instance.save()


def _plain_delete(request, instance) -> None:
    instance.delete()
