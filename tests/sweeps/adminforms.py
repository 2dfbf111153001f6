"""What an admin change form posts when staff save it unchanged."""

from django import forms


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
