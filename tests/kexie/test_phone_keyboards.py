"""On a phone, a number field opens the telephone keypad and the browser can fill
in the person's own name and number (autocomplete): every form that asks for a
contact number does, not only the sign-up."""

import pytest

from experts.forms import EnterpriseForm
from outreach.forms import LectureRequestForm
from tests.outreach.factories import SpeakerTeamFactory


def _rendered(form, name: str) -> str:
    return str(form[name])


def test_the_enterprise_contact_number_opens_the_telephone_keypad():
    # The profile form the enterprise edits later inherits these fields.
    form = EnterpriseForm()

    phone = _rendered(form, "contact_phone")
    assert 'inputmode="tel"' in phone
    assert 'autocomplete="tel"' in phone
    assert 'autocomplete="name"' in _rendered(form, "contact_name")


@pytest.mark.django_db
def test_the_lecture_request_contact_number_opens_the_telephone_keypad():
    form = LectureRequestForm(team=SpeakerTeamFactory())

    phone = _rendered(form, "contact_phone")
    assert 'inputmode="tel"' in phone
    assert 'autocomplete="tel"' in phone
    assert 'autocomplete="name"' in _rendered(form, "contact_name")
