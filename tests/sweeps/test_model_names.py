"""In English the admin says "Add event" over the form and "Events" over the
list: a model's name for one and for several are told apart, although Chinese
uses one word for both (the singular or the plural then has its own msgid,
in the context "one" or "several")."""

import pytest
from django.apps import apps
from django.utils import translation

#: Models whose English is the same word for one and for several.
SAME_IN_ENGLISH = {"outreach.Campaign": "one series, several series"}

_PROJECT = {"kexie", "members", "outreach", "experts"}
_MODELS = sorted(
    (
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in _PROJECT
        and not model._meta.object_name.startswith("Historical")
    ),
    key=lambda model: model._meta.label,
)


@pytest.mark.parametrize("model", _MODELS, ids=[model._meta.label for model in _MODELS])
def test_the_name_of_one_is_not_the_name_of_several_in_english(model):
    if model._meta.label in SAME_IN_ENGLISH:
        return
    with translation.override("en"):
        one, several = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    assert one != several, f"{model._meta.label}: {one!r} for one and for several"
