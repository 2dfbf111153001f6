"""``get_FOO_display()`` answers as Django's does, from a map kept per field."""

import pytest
from django.utils import translation

from experts.models import TechNeed
from outreach.models import Registration

pytestmark = pytest.mark.django_db


def test_the_label_is_translated_in_the_language_active_at_each_call():
    registration = Registration(status=Registration.Status.CONFIRMED)
    with translation.override("zh-hans"):
        assert registration.get_status_display() == "已确认"
    with translation.override("en"):
        assert registration.get_status_display() == "Confirmed"
    with translation.override("zh-hans"):
        assert registration.get_status_display() == "已确认"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Registration(status="lost").get_status_display() == "lost"
    assert Registration(status=None).get_status_display() is None


def test_choices_changed_while_running_are_followed():
    field = TechNeed._meta.get_field("kind")
    before = field.choices
    try:
        field.choices = [(value, f"<{value}>") for value, _label in before]
        need = TechNeed(kind=before[0][0])
        assert need.get_kind_display() == f"<{before[0][0]}>"
    finally:
        field.choices = before
    with translation.override("zh-hans"):
        assert need.get_kind_display() == str(before[0][1])
