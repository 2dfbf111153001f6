"""``instance.history`` answers as django-simple-history's own, from a manager
class built once per model (kexie.platform.lib.history)."""

import pytest
from django.db import models

from outreach.models import Event, Registration
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_each_access_gets_a_manager_of_its_own_instance_from_one_class():
    first, second = EventFactory(), EventFactory()
    assert type(first.history) is type(second.history)
    assert first.history.instance == first
    assert second.history.instance == second
    assert list(first.history.values_list("id", flat=True)) == [first.pk]


def test_the_model_s_history_lists_every_row_and_a_sign_up_writes_its_own():
    event = EventFactory(capacity=5)
    registration = Registration.objects.create(
        event=event, name="家长", phone="13900000001", party_size=1
    )
    row = registration.history.get()
    assert (row.history_type, row.name, row.phone) == ("+", "家长", "13900000001")
    assert Event.history.filter(id=event.pk).count() == 1
    assert Registration.history.model.__name__ == "HistoricalRegistration"


def test_a_historical_row_is_written_as_django_would_write_it():
    event = EventFactory(capacity=5, title="讲座")
    Historical = Event.history.model
    written = Historical.objects.get(id=event.pk)
    # The same row, written by Django's own save() of the model's history.
    again = Historical(
        **{
            f.attname: getattr(written, f.attname)
            for f in Historical._meta.concrete_fields
            if f.attname != "history_id"
        }
    )
    models.Model.save(again)
    columns = [f.attname for f in Historical._meta.concrete_fields if f.attname != "history_id"]
    assert Historical.objects.filter(history_id=written.history_id).values(*columns).get() == (
        Historical.objects.filter(history_id=again.history_id).values(*columns).get()
    )
    assert (written.history_type, written.title, written._state.adding) == ("+", "讲座", False)
