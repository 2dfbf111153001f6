"""The discipline picker: fields chosen in plain words.

Without JavaScript it is a list of check boxes, grouped by 门类 in folding
sections, with the disciplines suggested from the text (``suggested``) first;
nothing needs Ctrl-click. ``static/js/discipline-picker.js`` adds a search box
that understands plain words, suggestions that follow what the person types in
the form's other fields, and the chosen fields as removable chips.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from experts.models import Discipline

_PROJECT_TEMPLATES = TemplatesSetting()


class DisciplinePicker(forms.SelectMultiple):
    # A SelectMultiple to the form (its data is a list of ids) drawn as check
    # boxes in a fieldset, so crispy forms gives it a legend and its errors.
    template_name = "experts/widgets/discipline_picker.html"
    use_fieldset = True

    def __init__(self, attrs=None, *, source_fields: tuple[str, ...] = ()):
        super().__init__(attrs)
        # Names of the form's fields whose text the suggestions are drawn from.
        self.source_fields = source_fields
        self.suggested: list[int] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        suggested = list(dict.fromkeys(self.suggested))
        options: dict[int, dict] = {}
        groups: dict[str, dict] = {
            value: {"label": label, "options": [], "open": False}
            for value, label in Discipline.Group.choices
        }
        for choice_value, label in self.choices:
            instance = getattr(choice_value, "instance", None)
            if instance is None:
                continue
            option = {
                "value": instance.pk,
                "name": instance.label,
                # The search box finds a discipline by its name in either language.
                "search": " ".join(dict.fromkeys([instance.label, instance.name])),
                "code": instance.code,
                "label": label,
                "checked": str(instance.pk) in chosen,
                "id": f"{base_id}_{instance.pk}",
            }
            options[instance.pk] = option
            if instance.pk in suggested:
                continue
            group = groups.setdefault(
                instance.group, {"label": instance.group, "options": [], "open": False}
            )
            group["options"].append(option)
            group["open"] = group["open"] or option["checked"]
        css = context["widget"]["attrs"].get("class", "")
        context["picker"] = {
            "invalid": "is-invalid" in css.split(),
            "base_id": base_id,
            "suggested": [options[pk] for pk in suggested if pk in options],
            "groups": [group for group in groups.values() if group["options"]],
            "chosen": [option for option in options.values() if option["checked"]],
            "sources": ",".join(f"id_{field}" for field in self.source_fields),
            "suggest_url": reverse("experts:discipline_suggest"),
        }
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The template lives with the project's templates, which Django's
        # default form renderer does not search.
        return super().render(name, value, attrs, renderer=_PROJECT_TEMPLATES)

    def id_for_label(self, id_, index=None):
        # A legend names the whole group; no single input carries the label.
        return ""


class DisciplineField(forms.ModelMultipleChoiceField):
    """One or more disciplines, chosen with the picker."""

    default_error_messages = {
        **forms.ModelMultipleChoiceField.default_error_messages,
        "required": _("请至少选择一个领域。"),
        "invalid_choice": _("所选领域不存在，请重新选择。"),
        "invalid_pk_value": _("所选领域不存在，请重新选择。"),
    }

    def __init__(self, *, source_fields: tuple[str, ...] = (), **kwargs):
        kwargs.setdefault("queryset", Discipline.objects.order_by("code"))
        kwargs.setdefault("widget", DisciplinePicker(source_fields=source_fields))
        kwargs.setdefault(
            "help_text",
            _("用平常的话搜索，例如“电池”“养猪”“拍照检测”；也可以展开分类勾选。"),
        )
        super().__init__(**kwargs)

    def suggest(self, disciplines: list[Discipline]) -> None:
        """Show these disciplines first (suggested from the form's text)."""
        self.widget.suggested = [d.pk for d in disciplines]
