"""A person sees, exports and deletes what the portal holds about their
phone number after proving it with a one-time code; without the right code
nothing is revealed, not even whether the number is known. Every form that
collects personal data shows its notice, and a sign-up records the consent."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from kexie.platform.privacy.models import Consent, ErasureLog
from outreach.models import Certificate, FeedbackInvitation, Registration
from outreach.services.certificates import certificate_for_registration
from tests.helpers import sent_sms
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


PHONE = "13912345678"
START, CODE, MINE, EXPORT = (
    "/privacy/",
    "/privacy/code/",
    "/privacy/mine/",
    "/privacy/mine/export.json",
)


def _code(phone=PHONE) -> str:
    return re.search(r"验证码(\d{6})，", sent_sms(phone)[-1][1]).group(1)


@pytest.fixture
def held(db):
    past = EventFactory(
        title="青少年航模实践营",
        starts_at=NOW - timedelta(days=3),
        ends_at=NOW - timedelta(days=3) + timedelta(hours=2),
        gives_certificate=True,
    )
    coming = EventFactory(title="星空观测夜", capacity=1)
    attended = RegistrationFactory(
        event=past, phone=PHONE, name="王小明", status="attended", attended_count=2, party_size=2
    )
    upcoming = RegistrationFactory(event=coming, phone=PHONE, name="王小明")
    waiting = RegistrationFactory(event=coming, status="waitlisted")
    other = RegistrationFactory(event=past, phone="13800001111", name="李四", status="attended")
    certificate_for_registration(attended)
    FeedbackInvitation.objects.create(registration=attended)
    return {"attended": attended, "upcoming": upcoming, "waiting": waiting, "other": other}


def _prove(client, django_capture_on_commit_callbacks, phone=PHONE):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"phone": phone})
    return client.post(CODE, {"code": _code(phone)})


def test_urls():
    assert reverse("privacy:start") == START
    assert reverse("privacy:mine") == MINE


def test_without_the_code_nothing_is_revealed(client, held, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(START, {"phone": PHONE})
    assert client.get(MINE)["Location"] == START
    assert client.get(EXPORT)["Location"] == START
    wrong = client.post(CODE, {"code": "000000" if _code() != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "王小明" not in wrong.content.decode()
    assert client.get(MINE)["Location"] == START
    # A number that never signed up gets the same answers and the same text.
    stranger = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = stranger.post(START, {"phone": "13700009999"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    texts = [re.sub(r"\d{6}", "#", sent_sms(p)[-1][1]) for p in (PHONE, "13700009999")]
    assert texts[0] == texts[1]


def test_person_sees_and_exports_what_is_held(client, held, django_capture_on_commit_callbacks):
    assert _prove(client, django_capture_on_commit_callbacks)["Location"] == MINE
    page = client.get(MINE).content.decode()
    assert "青少年航模实践营" in page and "星空观测夜" in page and "王小明" in page
    assert "李四" not in page
    export = client.get(EXPORT)
    assert export["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(export.content)
    assert data["phone"] == PHONE
    titles = [r.get("活动") for group in data["data"] for r in group["records"]]
    assert {"青少年航模实践营", "星空观测夜"} <= set(titles)


def test_deleting_removes_the_person_and_keeps_the_counts(
    client, held, django_capture_on_commit_callbacks
):
    _prove(client, django_capture_on_commit_callbacks)
    refused = client.post(MINE, {})
    assert refused.status_code == 400
    assert Registration.objects.filter(phone=PHONE).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(MINE, {"confirm": "on"})
    assert done["Location"] == START
    assert not Registration.objects.filter(phone=PHONE).exists()
    attended = Registration.objects.get(pk=held["attended"].pk)
    assert (attended.status, attended.party_size, attended.attended_count) == ("attended", 2, 2)
    assert attended.name == "（已匿名）" and attended.email == "" and attended.anonymised_at
    assert attended.code != held["attended"].code
    assert not Certificate.objects.filter(registration=attended).exists()
    assert not FeedbackInvitation.objects.exists()
    # The coming sign-up was cancelled first; its seat went to the waiting list.
    assert Registration.objects.get(pk=held["upcoming"].pk).status == "cancelled"
    assert Registration.objects.get(pk=held["waiting"].pk).status == "confirmed"
    assert Registration.objects.get(pk=held["other"].pk).name == "李四"
    history = Registration.history.filter(id=held["attended"].pk)
    assert not history.filter(phone=PHONE).exists()
    # Staff can show that the request was carried out; the log names nobody.
    told = re.search(r"（(\d+)条记录）", client.get(START).content.decode())
    (log,) = ErasureLog.objects.all()
    assert (log.kind, log.records) == ("phone", int(told[1])) and log.records >= 2
    assert "科普活动" in log.detail and PHONE not in log.detail and PHONE[-4:] not in log.detail
    # The proof is used up: the page asks again.
    assert client.get(MINE)["Location"] == START


def test_sign_up_form_shows_the_notice_and_records_the_consent(client, db):
    event = EventFactory(title="科学秀")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "个人信息告知" in page and "保存期限" in page and "我的个人信息" in page
    client.get(event.get_absolute_url())
    response = client.post(
        event.get_absolute_url(),
        {"name": "王小明", "phone": "13912340000", "party_size": "1", "email": ""},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(phone="13912340000")
    consent = Consent.objects.get()
    assert (consent.notice, consent.record_type, consent.record_id) == (
        "signup",
        "outreach.registration",
        registration.pk,
    )
    assert consent.version


@pytest.mark.parametrize("url_name", ["accounts:register", "privacy:start"])
def test_other_forms_show_their_notice(client, url_name):
    assert "个人信息告知" in client.get(reverse(url_name)).content.decode()
