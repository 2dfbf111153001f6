"""A faster ``get_FOO_display()`` for fields with choices.

Django builds the value → label map of the field on every call, hashing each
choice, and each label is a lazy translation, so a call costs one ``gettext``
per choice (40 µs for the eleven statuses of a need on the benchmark machine).
A list of 600 sign-ups spent a quarter of its rendering there. The map is kept
per field and per set of choices; the label is still translated at each call,
in the language active then.
"""

import functools

from django.apps import apps
from django.db.models import Model
from django.db.models.fields import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_django_display = Model._get_FIELD_display


@functools.lru_cache(maxsize=512)
def _labels(field: Field, choices_id: int) -> dict:
    return dict(make_hashable(field.flatchoices))


def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
    choices = field.choices
    if callable(choices) or not isinstance(choices, list | tuple):
        return _django_display(self, field)
    value = getattr(self, field.attname)
    try:
        label = _labels(field, id(choices)).get(make_hashable(value), value)
    except TypeError:
        return _django_display(self, field)
    return force_str(label, strings_only=True)


def install() -> None:
    """Called once from ``KexieConfig.ready``: each model's ``get_FOO_display``
    that Django made (a model's own method of that name is left alone)."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, functools.partialmethod) and method.func is _django_display:
                setattr(model, name, functools.partialmethod(_get_FIELD_display, field=field))
