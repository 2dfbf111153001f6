"""Forms whose fields copy themselves quickly (``quick_copied_fields``) get
what ``copy.deepcopy`` gives: fields of their own, equal to the class's."""

import copy

from django import forms

from kexie.platform.lib.form_fields import quick_copied_fields
from outreach.forms import SignUpForm


class _Plain(forms.Form):
    name = forms.CharField(max_length=5, widget=forms.TextInput(attrs={"size": 3}))
    size = forms.IntegerField(min_value=1, error_messages={"min_value": "at least one"})
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    when = forms.SplitDateTimeField()


@quick_copied_fields
class _Quick(_Plain):
    pass


def _plain(value):
    """A value as compared: a field's or widget's parts (copied apart) by type."""
    if isinstance(value, forms.Field | forms.Widget):
        return type(value), _plain(vars(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return type(value), _plain(vars(value))
    return value


def _state(fields: dict) -> dict:
    return {name: _plain(field) for name, field in fields.items()}


def test_a_quick_form_has_the_fields_a_deep_copy_gives():
    assert _state(_Quick().fields) == _state(_Plain().fields)
    assert type(_Quick().fields) is dict


def test_each_form_has_fields_of_its_own():
    first, second = _Quick(), _Quick()
    for name in first.fields:
        for one, other in [(first, second), (first, _Quick)]:
            fields = other.base_fields if isinstance(other, type) else other.fields
            assert one.fields[name] is not fields[name]
            assert one.fields[name].widget is not fields[name].widget
            assert one.fields[name].widget.attrs is not fields[name].widget.attrs
            assert one.fields[name].error_messages is not fields[name].error_messages
            assert one.fields[name].validators is not fields[name].validators
    first.fields["name"].widget.attrs["required"] = True
    first.fields["size"].error_messages["min_value"] = "changed"
    first.fields["kind"].choices = [("c", "C")]
    assert "required" not in second.fields["name"].widget.attrs
    assert "required" not in _Quick.base_fields["name"].widget.attrs
    assert second.fields["size"].error_messages["min_value"] == "at least one"
    assert list(second.fields["kind"].choices) == [("a", "A"), ("b", "B")]


def test_the_sign_up_form_copies_its_fields_as_deepcopy_does():
    fields = SignUpForm.base_fields
    assert _state(copy.deepcopy(fields)) == _state(copy.deepcopy(dict(fields)))
    assert copy.deepcopy(fields)["phone"] is not fields["phone"]
