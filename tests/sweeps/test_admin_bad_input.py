"""A stranger's fuzz as a manager and as staff (``bench/stranger_fuzz.py``
against the production stack) made the admin answer 500 to three crafted
requests Django itself leaves open (``kexie/platform/lib/admin_inputs.py``):
a value that is no id in an autocomplete field, a selected row that is no id
in an action, and a NUL character in a list filter. Each is bad input: a
clear answer, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from outreach.models import EventRecap, Registration
from tests.outreach.factories import EventFactory, RegistrationFactory

NOT_IDS = ["pk__gt", "2026-02-30", "a\x00b", "1e999", "²", str(2**70), "-1", "\u202e\u200b"]


@pytest.fixture
def client(staff_client):
    staff_client.raise_request_exception = False
    return staff_client


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_IDS)
def test_an_autocomplete_field_holding_no_id_is_a_form_error(client, value):
    response = client.post(reverse("admin:outreach_eventrecap_add"), {"event": value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["event"]
    assert not EventRecap.objects.exists()


@pytest.mark.django_db
def test_an_autocomplete_field_keeps_showing_a_real_choice(client):
    event = EventFactory(title="航天科普讲座")
    response = client.post(
        reverse("admin:outreach_eventrecap_add"), {"event": event.pk, "summary": ""}
    )
    assert "航天科普讲座" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_IDS)
def test_an_action_on_rows_that_are_no_ids_changes_nothing_and_says_so(client, value):
    registration = RegistrationFactory()
    response = client.post(
        reverse("admin:outreach_registration_changelist"),
        {
            "action": "cancel_registrations",
            "select_across": "0",
            "index": "0",
            "_selected_action": [str(registration.pk), value],
        },
    )
    assert response.status_code in (200, 302)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "所选的条目无效，没有做任何更改。"
    ]
    registration.refresh_from_db()
    assert registration.status != Registration.Status.CANCELLED


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["status__exact=%00", "status__exact=a%00b", "q=%00"])
def test_a_nul_character_in_a_list_filter_is_a_bad_lookup(client, query):
    url = reverse("admin:outreach_event_changelist")
    response = client.get(f"{url}?{query}")
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")
