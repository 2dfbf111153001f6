"""What an admin change form posts when staff save it unchanged."""

from django import forms
from django.urls import reverse


def form_data(page) -> dict:
    """What the change form would post unchanged: its fields and its inlines."""
    data = {}
    forms_to_send = [page.context["adminform"].form]
    # A history page's old version has no inline rows.
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for bound in management:
            data[bound.html_name] = bound.value()
        forms_to_send += formset.forms
    for form in forms_to_send:
        for bound in form:
            value = bound.value()
            widget = bound.field.widget
            if isinstance(widget, forms.MultiWidget):
                parts = value if isinstance(value, list) else widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


def change_url(obj) -> str:
    """The admin's change page of ``obj``."""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def inline_prefix(page, model) -> str:
    """The form prefix of the change page's inline rows of ``model``."""
    for inline in page.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(f"no inline of {model.__name__}")
