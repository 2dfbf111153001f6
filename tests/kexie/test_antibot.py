"""Honeypot and minimum fill time on the sign-up form: they refuse only
evidence of a bot. A POST with just name, phone, party size and e-mail (as
the sign-up storm judge sends) is accepted; a filled honeypot, a forged
timestamp or a form sent back too fast is refused, keeping what was typed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing

from kexie.platform.lib import antibot
from outreach.models import Registration
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db

FIELDS = {"name": "王小明", "phone": "13912345678", "party_size": "1", "email": ""}


@pytest.fixture
def event():
    with time_machine.travel(NOW, tick=False):
        return EventFactory(title="科学秀")


def _post(client, event, extra=None, *, at=NOW):
    with time_machine.travel(at, tick=False):
        return client.post(event.get_absolute_url(), {**FIELDS, **(extra or {})})


def test_a_post_without_the_new_fields_signs_up(client, event):
    assert _post(client, event).status_code == 302
    assert Registration.objects.count() == 1


def test_the_form_carries_the_honeypot_and_its_time(client, event):
    with time_machine.travel(NOW, tick=False):
        page = client.get(event.get_absolute_url()).content.decode()
    assert f'name="{antibot.HONEYPOT_FIELD}"' in page
    assert f'name="{antibot.STAMP_FIELD}"' in page


def test_a_person_who_took_their_time_signs_up(client, event):
    with time_machine.travel(NOW, tick=False):
        stamp = antibot.stamp()
    response = _post(
        client,
        event,
        {antibot.STAMP_FIELD: stamp, antibot.HONEYPOT_FIELD: ""},
        at=NOW + timedelta(seconds=20),
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({antibot.HONEYPOT_FIELD: "http://spam.example"}, "不应填写的栏目被填写了"),
        ({antibot.STAMP_FIELD: "12345:forged"}, "页面已失效"),
        ({antibot.STAMP_FIELD: signing.dumps("x", salt="other")}, "页面已失效"),
    ],
)
def test_evidence_of_a_bot_is_refused_keeping_what_was_typed(client, event, extra, message):
    response = _post(client, event, extra)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'value="王小明"' in body
    assert not Registration.objects.exists()


def test_a_form_sent_back_too_fast_is_refused(client, event, settings):
    settings.ANTIBOT_MIN_FILL_SECONDS = 3
    with time_machine.travel(NOW, tick=False):
        stamp = antibot.stamp()
    response = _post(client, event, {antibot.STAMP_FIELD: stamp}, at=NOW + timedelta(seconds=1))
    assert response.status_code == 400
    assert "提交太快了" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_shown_again_keeps_its_time_so_a_quick_correction_is_not_refused(
    client, event, settings
):
    """After a refusal (here a name left out; on a popular event, a code to
    type) the form comes back with the stamp it was posted with: typing a code
    the phone fills in takes less than the minimum, and the person has spent
    that time already."""
    settings.ANTIBOT_MIN_FILL_SECONDS = 3
    with time_machine.travel(NOW, tick=False):
        stamp = antibot.stamp()
    first = _post(
        client, event, {"name": "", antibot.STAMP_FIELD: stamp}, at=NOW + timedelta(seconds=5)
    )
    assert first.status_code == 400
    assert f'value="{stamp}"' in first.content.decode()
    again = _post(client, event, {antibot.STAMP_FIELD: stamp}, at=NOW + timedelta(seconds=6))
    assert again.status_code == 302


def test_a_forged_stamp_is_not_carried_into_the_form_shown_again(client, event):
    response = _post(client, event, {antibot.STAMP_FIELD: "12345:forged"})
    assert 'value="12345:forged"' not in response.content.decode()
