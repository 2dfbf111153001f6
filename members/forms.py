from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Branch, Honor, Town


def _kind_choices():
    return [("", _("全部类型")), ("society", _("学会")), *Branch.Kind.choices]


class OrgFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=_kind_choices, required=False)
    town = forms.ModelChoiceField(
        label=_("镇街道"),
        queryset=Town.objects.all(),
        required=False,
        empty_label=_("全部镇街道"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict:
        """The valid filters; a bad value counts as no filter (and shows its error)."""
        if not self.is_bound:
            return {"query": "", "kind": "", "town": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q", "") or "",
            "kind": data.get("kind", "") or "",
            "town": data.get("town"),
        }


class HonorFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100, required=False)
    level = forms.ChoiceField(
        label=_("级别"), choices=[("", _("全部级别")), *Honor.Level.choices], required=False
    )

    def filters(self) -> dict:
        if not self.is_bound:
            return {"year": None, "level": ""}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"year": data.get("year"), "level": data.get("level", "") or ""}
