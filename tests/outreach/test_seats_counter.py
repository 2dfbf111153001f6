"""An event's seats held (``Event.seats_held``) are always the people its
seated sign-ups bring, whatever changes a sign-up: the counter is kept by the
database (migration 0015), so every path below keeps it true on both
databases, and no other write of the event can change it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Sum
from django.urls import reverse

from outreach.models import Event, Registration
from outreach.services.events import event_finish, event_save
from outreach.services.registrations import (
    registration_cancel,
    registration_check_in,
    registration_create,
    seats_taken,
)
from tests.outreach.factories import NOW, EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def held(event) -> int:
    return Event.objects.values_list("seats_held", flat=True).get(pk=event.pk)


def counted(event) -> int:
    """The seats as the sign-ups add up."""
    return (
        Registration.objects.filter(
            event_id=event.pk, status__in=Registration.SEATED_STATUSES
        ).aggregate(total=Sum("party_size"))["total"]
        or 0
    )


def sign_up(event, n: int, size: int = 1, **kwargs) -> Registration:
    return registration_create(
        event=event, name=f"家长{n}", phone=f"1390000{n:04d}", party_size=size, **kwargs
    )


def test_sign_ups_hold_their_party_sizes_and_the_waiting_list_holds_none():
    event = EventFactory(capacity=5, max_party_size=3)
    sign_up(event, 1, 3)
    sign_up(event, 2, 2)
    waiting = sign_up(event, 3, 1)
    assert waiting.status == Registration.Status.WAITLISTED
    assert held(event) == 5 == counted(event) == seats_taken(event_id=event.pk)


def test_a_cancellation_frees_its_seats_and_the_promotion_takes_them():
    event = EventFactory(capacity=2, max_party_size=2)
    first = sign_up(event, 1, 2)
    sign_up(event, 2, 1)  # waiting
    assert held(event) == 2
    promoted = registration_cancel(registration=first, by_registrant=False)
    assert [r.status for r in promoted] == [Registration.Status.CONFIRMED]
    assert held(event) == 1 == counted(event)


def test_cancelling_a_waiting_sign_up_frees_nothing():
    event = EventFactory(capacity=1, max_party_size=1)
    sign_up(event, 1)
    waiting = sign_up(event, 2)
    registration_cancel(registration=waiting, by_registrant=False)
    assert held(event) == 1 == counted(event)


def test_check_in_and_its_undoing_keep_the_seats_and_no_shows_keep_them_too():
    event = EventFactory(capacity=10, starts_at=NOW - timedelta(days=2))
    came = RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=2)
    registration_check_in(registration=came, count=2)
    assert held(event) == 5
    registration_check_in(registration=came, count=0)
    assert held(event) == 5
    registration_check_in(registration=came, count=3)
    event_finish(event=event)  # the other becomes a no-show
    assert held(event) == 5 == counted(event)
    assert Registration.objects.filter(status=Registration.Status.NO_SHOW).count() == 1


def test_a_changed_party_size_status_or_event_moves_the_seats():
    event, other = EventFactory(capacity=10), EventFactory(capacity=10)
    registration = RegistrationFactory(event=event, party_size=1)
    registration.party_size = 3
    registration.save()
    assert held(event) == 3
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.WAITLISTED)
    assert held(event) == 0
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ATTENDED)
    assert held(event) == 3
    Registration.objects.filter(pk=registration.pk).update(event=other, party_size=2)
    assert (held(event), held(other)) == (0, 2)
    assert (counted(event), counted(other)) == (0, 2)


def test_a_deleted_sign_up_frees_its_seats_and_a_deleted_event_takes_its_own():
    event = EventFactory(capacity=10)
    RegistrationFactory(event=event, party_size=2)
    gone = RegistrationFactory(event=event, party_size=3)
    RegistrationFactory(event=event, party_size=3, status=Registration.Status.CANCELLED)
    gone.delete()
    assert held(event) == 2 == counted(event)
    event.delete()
    assert not Event.objects.exists() and not Registration.objects.exists()


def test_no_other_write_of_the_event_changes_its_seats():
    event = EventFactory(capacity=10)
    stale = Event.objects.get(pk=event.pk)  # read before the sign-ups
    RegistrationFactory(event=event, party_size=2)
    stale.title = "改过的标题"
    stale.save()  # writes every column, seats_held with the value it read
    assert held(event) == 2
    stale.seats_held = 99
    stale.save(update_fields=["seats_held"])
    Event.objects.filter(pk=event.pk).update(seats_held=7)
    assert held(event) == 2
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy._state.adding = True
    copy.save()  # a new event holds no seats, whatever was copied
    assert held(copy) == 0


def test_more_seats_given_by_event_save_promote_and_are_counted():
    event = EventFactory(capacity=1, max_party_size=1)
    sign_up(event, 1)
    sign_up(event, 2)
    event = Event.objects.get(pk=event.pk)
    event.capacity = 2
    event_save(event=event)
    assert held(event) == 2 == counted(event)


def test_the_admin_cancel_action_and_event_form_keep_the_seats(staff_client, event):
    first = sign_up(event, 1, 2)
    sign_up(event, 2, 3)
    assert held(event) == 5
    staff_client.post(
        reverse("admin:outreach_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [first.pk], "post": "yes"},
    )
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert held(event) == 3 == counted(event)
    # The event's change form, posted with every field, leaves the seats alone.
    url = reverse("admin:outreach_event_change", args=[event.pk])
    form = staff_client.get(url).context["adminform"].form
    assert "seats_held" not in form.fields
    sign_up(event, 3, 1)  # after the form was shown
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "audiences": [a.pk for a in event.audiences.all()],
            "venue": event.venue_id,
            "starts_at_0": event.starts_at.strftime("%Y-%m-%d"),
            "starts_at_1": event.starts_at.strftime("%H:%M"),
            "ends_at_0": event.ends_at.strftime("%Y-%m-%d"),
            "ends_at_1": event.ends_at.strftime("%H:%M"),
            "title": "航天科普讲座（改）",
            "sessions-TOTAL_FORMS": 0,
            "sessions-INITIAL_FORMS": 0,
            "reach_entries-TOTAL_FORMS": 0,
            "reach_entries-INITIAL_FORMS": 0,
        }
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.title == "航天科普讲座（改）"
    assert held(event) == 4 == counted(event)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_seats_of_the_sign_ups_made_before_it():
    event, empty = EventFactory(capacity=20), EventFactory(capacity=20)
    for size, status in [(2, "confirmed"), (3, "attended"), (4, "waitlisted"), (5, "cancelled")]:
        RegistrationFactory(event=event, party_size=size, status=status)
    before = [("outreach", "0014_event_add_start_index")]
    # Forward through 0015_event_seats_held to the latest, so the tests after
    # this one find every column.
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes("outreach")
    executor.migrate(before)
    try:
        # Sign-ups written while no counter existed.
        old = MigrationExecutor(connection).loader.project_state(before).apps
        OldRegistration = old.get_model("outreach", "Registration")
        OldRegistration.objects.create(
            event_id=event.pk,
            name="家长",
            phone="13900009999",
            party_size=1,
            status="no_show",
            code="made-before-the-counter",
            created_at=NOW,
        )
        OldRegistration.objects.filter(event_id=event.pk, party_size=4).update(status="confirmed")
    finally:
        MigrationExecutor(connection).migrate(after)
    assert held(event) == 2 + 3 + 4 + 1 == counted(event)
    assert held(empty) == 0
    RegistrationFactory(event=event, party_size=2)  # and the triggers keep it from then on
    assert held(event) == 12
