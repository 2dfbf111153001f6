"""Issue 18, finding 5: one sign-up per phone held against digits of other
scripts. Every mobile field goes through ``normalize_phone`` (digits of any
script to ASCII) and ``validate_mobile`` refuses anything else afterwards."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kexie.platform.lib.validators import normalize_phone, validate_mobile
from outreach.models import Registration
from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db

# "13" in ASCII and the rest in another script: Python's \d took them all, so
# each was a "valid" number of its own before.
ONE_NUMBER = [
    "13812340000",
    "13８１２３４００００",  # full-width
    "13٨١٢٣٤٠٠٠٠",  # Arabic-Indic
    "13۸۱۲۳۴۰۰۰۰",  # Persian
    "13८१२३४००००",  # Devanagari
    "１３８１２３４００００",  # full-width throughout
    "＋８６ １３８ １２３４ ００００",  # full-width prefix and spaces
]


@pytest.mark.parametrize("typed", ONE_NUMBER)
def test_finding_05_every_script_normalises_to_one_ascii_number(typed):
    assert normalize_phone(typed) == "13812340000"
    validate_mobile(typed)


@pytest.mark.parametrize("typed", ["¹3812340000", "1381234000①", "1381234000x", "13812340000\n1"])
def test_finding_05_other_digit_like_characters_are_refused(typed):
    with pytest.raises(ValidationError):
        validate_mobile(typed)


def test_finding_05_one_sign_up_per_phone_whatever_the_digits(client):
    event = EventFactory(capacity=50, starts_at=timezone.now() + timedelta(days=7))
    answers = [
        client.post(
            event.get_absolute_url(),
            {"name": "王小明", "phone": phone, "party_size": 1},
            REMOTE_ADDR=f"192.0.2.{n}",
        ).status_code
        for n, phone in enumerate(ONE_NUMBER)
    ]
    assert answers.count(302) == 1
    assert list(Registration.objects.values_list("phone", flat=True)) == ["13812340000"]


def test_finding_05_every_mobile_field_stores_ascii_digits():
    from kexie.platform.accounts.models import User
    from members.models import Person
    from outreach.models import LectureRequest

    for model, field in (
        (User, "phone"),
        (Person, "phone"),
        (Registration, "phone"),
        (LectureRequest, "contact_phone"),
    ):
        assert validate_mobile in model._meta.get_field(field).validators, (model, field)
    user = User.objects.create_user(phone="١٣٨١٢٣٤٠٠٠٠", password="x-long-password", name="王")
    assert user.phone == "13812340000"
