"""Registrants' messages are written in the language of the page they signed up
on: the receipt, and later the reminder, the promotion and the other notices."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from kexie.platform.outbox.models import Notification
from outreach.models import Registration
from outreach.services.notices import notice_sweep
from outreach.services.registrations import registration_cancel, registration_create
from tests.helpers import sent_emails, sent_sms
from tests.outreach.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _post_sign_up(client, event, *, language=None, phone="13900000001"):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(
        event.get_absolute_url(),
        {"name": "Anna", "phone": phone, "party_size": 1, "email": "anna@example.cn"},
    )


def test_a_sign_up_on_the_english_page_is_texted_and_mailed_in_english(client, event, deliver):
    with deliver():
        response = _post_sign_up(client, event, language="en")
    assert response.status_code == 302
    assert Registration.objects.get().language == "en"
    [(_phone, text)] = sent_sms()
    assert "Signed up: “航天科普讲座”" in text and "报名成功" not in text
    [email] = sent_emails("anna@example.cn")
    assert email.subject == "Signed up: 航天科普讲座"


def test_a_sign_up_on_the_chinese_page_is_texted_in_chinese(client, event, deliver):
    with deliver():
        _post_sign_up(client, event)
    assert Registration.objects.get().language == "zh-hans"
    [(_phone, text)] = sent_sms()
    assert "报名成功：“航天科普讲座”" in text
    assert sent_emails("anna@example.cn")[0].subject == "报名成功：航天科普讲座"


def test_a_sign_up_entered_by_staff_is_texted_in_chinese_whatever_their_language(
    staff_client, event, deliver
):
    from django.urls import reverse

    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with deliver():
        staff_client.post(
            reverse("outreach:staff_event_registrations", args=[event.pk]),
            {"name": "王奶奶", "phone": "13900000002", "party_size": 1},
        )
    assert Registration.objects.get().language == "zh-hans"
    assert "报名成功" in sent_sms("13900000002")[0][1]


def test_the_same_event_and_party_size_keep_one_text_per_language(event, deliver):
    with deliver():
        registration_create(event=event, name="甲", phone="13900000001", party_size=1)
        registration_create(event=event, name="B", phone="13900000002", party_size=1, language="en")
        registration_create(event=event, name="丙", phone="13900000003", party_size=1)
    assert "报名成功" in sent_sms("13900000001")[0][1]
    assert "Signed up" in sent_sms("13900000002")[0][1]
    assert "报名成功" in sent_sms("13900000003")[0][1]


def test_an_unknown_language_signs_up_in_chinese(event):
    registration = registration_create(
        event=event, name="甲", phone="13900000001", party_size=1, language="fr"
    )
    assert registration.language == "zh-hans"


def test_the_reminder_is_in_each_registrants_language_whatever_the_sweep_runs_under(event):
    RegistrationFactory(event=event, phone="13900000001", language="en")
    RegistrationFactory(event=event, phone="13900000002")
    with (
        time_machine.travel(event.starts_at - timedelta(hours=23), tick=False),
        translation.override("en"),
    ):
        assert notice_sweep() == 2
    [english] = Notification.objects.filter(recipient="13900000001")
    [chinese] = Notification.objects.filter(recipient="13900000002")
    assert "航天科普讲座" in english.body and "提醒" not in english.body
    assert "提醒：您报名的“航天科普讲座”" in chinese.body


def test_a_promotion_from_the_waiting_list_is_in_the_registrants_language(event, deliver):
    event.capacity = 1
    event.save()
    seated = RegistrationFactory(event=event, phone="13900000009")
    RegistrationFactory(
        event=event,
        phone="13900000008",
        status=Registration.Status.WAITLISTED,
        language="en",
    )
    with deliver():
        registration_cancel(registration=seated, by_registrant=True)
    [(_phone, text)] = sent_sms("13900000008")
    assert "Good news: you are off the waiting list" in text
    # The cancelled one signed up in Chinese.
    assert "您已取消“航天科普讲座”的报名" in sent_sms("13900000009")[0][1]


@pytest.mark.parametrize(
    "template",
    ["signup", "reminder", "promoted", "moved", "event-cancelled", "feedback"],
)
def test_an_english_message_puts_an_english_colon_after_its_labels(template, event):
    # The labels were translated and the full-width "：" after them was not
    # ("Time：Sun 13 Dec 2026, 14:00").
    from django.template.loader import render_to_string

    event.gives_certificate = True
    event.cancel_reason = "台风"
    registration = RegistrationFactory(event=event, party_size=2)
    context = {
        "event": event,
        "registration": registration,
        "link": "https://kexie.example/events/r/x/",
        "qr_link": "https://kexie.example/events/r/x/qr.svg",
        "feedback_link": "https://kexie.example/events/feedback/x/",
        "site_name": "Kexie",
        "site_url": "https://kexie.example",
    }
    with translation.override("en"):
        body = render_to_string(f"emails/outreach-{template}-body.txt", context)
    assert "：" not in body.replace("您好：", ""), body
    with translation.override("zh-hans"):
        body = render_to_string(f"emails/outreach-{template}-body.txt", context)
    assert "：https://kexie.example" in body
