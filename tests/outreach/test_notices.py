"""Messages to registrants: receipts at sign-up and cancellation, and the
sweep's reminders, promotions, cancellations and moves, each sent once."""

from datetime import timedelta

import pytest
import time_machine

from kexie.celery import BEAT_SCHEDULE
from kexie.platform.outbox.models import Notification
from outreach.models import Event, Registration
from outreach.services.events import event_cancel, event_save
from outreach.services.notices import notice_sweep
from outreach.services.registrations import registration_cancel, registration_create
from outreach.tasks import notice_sweep as notice_sweep_task
from tests.helpers import sent_emails, sent_sms
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (outbox delivery, event notices) of a block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _sign_up(event, phone="13900000001", **kwargs):
    return registration_create(
        event=event, name="张三", phone=phone, party_size=kwargs.pop("party_size", 1), **kwargs
    )


def test_sign_up_texts_the_private_link(event, deliver):
    with deliver():
        registration = _sign_up(event)
    [(phone, text)] = sent_sms()
    assert phone == "13900000001"
    assert "报名成功" in text and "航天科普讲座" in text
    assert f"/events/r/{registration.code}/" in text


def test_sign_up_with_an_email_also_sends_an_email_with_the_qr_link(event, deliver):
    with deliver():
        registration = _sign_up(event, email="Zhang@Example.cn")
    [email] = sent_emails("zhang@example.cn")
    assert email.subject == "报名成功：航天科普讲座"
    assert f"/events/r/{registration.code}/qr.svg" in email.body


def test_waiting_list_sign_up_is_told_it_waits(event, deliver):
    for _ in range(10):
        RegistrationFactory(event=event)
    with deliver():
        _sign_up(event)
    [(_phone, text)] = sent_sms()
    assert "您（1人）已进入“航天科普讲座”的候补名单" in text


def test_each_receipt_says_how_its_own_sign_up_went_as_seats_come_and_go(event, deliver):
    # Seated, waitlisted, seated in a seat added, waitlisted again: each
    # receipt in its own wording, whatever the sign-up before it needed.
    Event.objects.filter(pk=event.pk).update(capacity=1)
    with deliver():
        _sign_up(event, phone="13900000001", email="a@example.cn")
        _sign_up(event, phone="13900000002", email="b@example.cn")
    Event.objects.filter(pk=event.pk).update(capacity=2)
    with deliver():
        _sign_up(event, phone="13900000003", email="c@example.cn")
        _sign_up(event, phone="13900000004", email="d@example.cn")
    texts = dict(sent_sms())
    assert "报名成功" in texts["13900000001"]
    assert "候补名单" in texts["13900000002"]
    assert "报名成功" in texts["13900000003"]
    assert "候补名单" in texts["13900000004"]
    [seated] = sent_emails("c@example.cn")
    assert seated.subject == "报名成功：航天科普讲座"
    [waiting] = sent_emails("d@example.cn")
    assert "qr.svg" not in waiting.body


def test_a_waiting_sign_ups_e_mail_has_no_door_code(event, deliver):
    for _ in range(10):
        RegistrationFactory(event=event)
    with deliver():
        registration = _sign_up(event, email="wang@example.cn")
    [email] = sent_emails("wang@example.cn")
    assert registration.get_absolute_url() in email.body
    assert "qr.svg" not in email.body


def test_cancelling_sends_a_receipt_and_tells_the_promoted(event, deliver):
    for _ in range(9):
        RegistrationFactory(event=event)
    leaving = RegistrationFactory(event=event, phone="13900000009")
    waiting = RegistrationFactory(event=event, phone="13900000008", status="waitlisted")
    with deliver():
        registration_cancel(registration=leaving, by_registrant=True)
    assert "您已取消“航天科普讲座”的报名" in sent_sms("13900000009")[0][1]
    [(_phone, text)] = sent_sms("13900000008")
    assert "候补已转正" in text
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert waiting.promotion_notified_at is not None


def test_reminder_goes_out_once_the_event_is_within_a_day(event):
    registration = RegistrationFactory(event=event, phone="13900000001")
    assert notice_sweep() == 0
    with time_machine.travel(event.starts_at - timedelta(hours=23), tick=False):
        assert notice_sweep() == 1
        assert notice_sweep() == 0
    registration.refresh_from_db()
    assert registration.reminded_at is not None
    [notification] = Notification.objects.filter(recipient="13900000001")
    assert "提醒：您报名的“航天科普讲座”将于6月8日 10:00开始" in notification.body


def test_reminder_lead_time_is_a_setting(event, settings):
    settings.OUTREACH_REMINDER_BEFORE_HOURS = 48
    RegistrationFactory(event=event)
    with time_machine.travel(event.starts_at - timedelta(hours=47), tick=False):
        assert notice_sweep() == 1


def test_only_confirmed_registrants_of_published_events_are_reminded(event):
    for status in ["waitlisted", "cancelled", "attended"]:
        RegistrationFactory(event=event, status=status)
    cancelled_event = EventFactory(status=Event.Status.CANCELLED)
    RegistrationFactory(event=cancelled_event, event_cancel_notified_at=NOW)
    with time_machine.travel(event.starts_at - timedelta(hours=1), tick=False):
        assert notice_sweep() == 0


def test_running_the_sweep_twice_sends_every_message_once(event, deliver):
    for i in range(3):
        RegistrationFactory(event=event, phone=f"1390000000{i}")
    with time_machine.travel(event.starts_at - timedelta(hours=2), tick=False), deliver():
        notice_sweep_task.delay()
        notice_sweep_task.delay()
    assert len(sent_sms()) == 3
    assert Notification.objects.filter(dedupe_key__startswith="outreach:reminder:").count() == 3


def test_a_reminder_already_in_the_outbox_is_not_written_again(event):
    """A sweep that wrote the message but died before marking the sign-up
    leaves the occasion to the outbox's dedupe key."""
    registration = RegistrationFactory(event=event)
    with time_machine.travel(event.starts_at - timedelta(hours=2), tick=False):
        notice_sweep()
        Registration.objects.filter(pk=registration.pk).update(reminded_at=None)
        notice_sweep()
    assert Notification.objects.filter(recipient=registration.phone).count() == 1


def test_cancelling_an_event_tells_confirmed_and_waiting_registrants(event, deliver):
    confirmed = RegistrationFactory(event=event, phone="13900000001")
    waiting = RegistrationFactory(event=event, phone="13900000002", status="waitlisted")
    RegistrationFactory(event=event, phone="13900000003", status="cancelled")
    with deliver():
        event_cancel(event=event, reason="台风天气")
    assert {phone for phone, _text in sent_sms()} == {confirmed.phone, waiting.phone}
    assert "已取消" in sent_sms(confirmed.phone)[0][1]
    assert "台风天气" in sent_sms(confirmed.phone)[0][1]
    assert notice_sweep() == 0


def test_moving_an_event_tells_its_registrants_and_reminds_before_the_new_time(event, deliver):
    registration = RegistrationFactory(event=event, phone="13900000001")
    with time_machine.travel(event.starts_at - timedelta(hours=2), tick=False):
        notice_sweep()  # reminder for the old time
        event.starts_at += timedelta(days=2)
        event.ends_at += timedelta(days=2)
        with deliver():
            event_save(event=event)
    event.refresh_from_db()
    assert event.schedule_version == 2
    moved = [text for _phone, text in sent_sms() if "变更通知" in text]
    assert moved == [
        f"【平湖市科学技术协会】变更通知：“航天科普讲座”改为6月10日 10:00，"
        f"地点：{event.venue.name}。详情或取消：http://127.0.0.1:8000/events/r/{registration.code}/"
    ]
    with time_machine.travel(event.starts_at - timedelta(hours=2), tick=False):
        assert notice_sweep() == 1  # the reminder for the new time
        assert notice_sweep() == 0


def test_changing_the_venue_is_a_move_but_editing_the_text_is_not(event, deliver):
    RegistrationFactory(event=event)
    event.description = "更详细的介绍"
    event_save(event=event)
    assert notice_sweep() == 0
    event.venue = VenueFactory()
    event_save(event=event)
    assert notice_sweep() == 1


def test_more_seats_promote_the_waiting_list(event, deliver):
    for _ in range(10):
        RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted", phone="13900000001")
    event.capacity = 11
    with deliver():
        event_save(event=event)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert "候补已转正" in sent_sms("13900000001")[0][1]


def test_no_notices_for_events_that_already_started(event):
    RegistrationFactory(event=event, promoted_at=NOW)
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        assert notice_sweep() == 0


def test_the_sweep_is_declared_in_the_beat_schedule():
    entry = BEAT_SCHEDULE["outreach-notice-sweep"]
    assert entry["task"] == "outreach.tasks.notice_sweep"
    assert entry["schedule"] <= 600


@pytest.mark.parametrize("waitlisted", [False, True])
def test_a_kept_sign_up_text_is_the_templates_byte_for_byte(waitlisted):
    """The sign-up's text is rendered once per event, wording and party size
    (``KEPT_TEXTS``); for sign-ups that differ in everything, each text is
    the one the template gives with the whole registration."""
    from kexie.platform.outbox.services import notification_build
    from outreach.services import notices

    events = [
        EventFactory(title="航天科普讲座", starts_at=NOW + timedelta(days=3)),
        EventFactory(title="Robots & <Kids>", starts_at=NOW + timedelta(days=9, minutes=7)),
    ]
    registrations = [
        Registration(
            event=event,
            name=name,
            phone=phone,
            email=email,
            party_size=size,
            status=Registration.Status.WAITLISTED if waitlisted else Registration.Status.CONFIRMED,
        )
        for event in events
        for name, phone, email, size in [
            ("张三", "13900000001", "", 1),
            ("李四", "13900000002", "b@example.cn", 3),
            ("O'Brien <x>", "13900000003", "", 3),
        ]
    ]
    notices._kept_texts.clear()
    for registration in registrations * 2:  # each kept text used again
        kept = notices.registrant_notifications(
            registration,
            template="outreach-signup",
            occasion="signup",
            context={"waitlisted": waitlisted},
        )
        whole = notification_build(
            channel=Notification.Channel.SMS,
            recipient=registration.phone,
            template="outreach-signup",
            context=notices._registrant_context(registration, {"waitlisted": waitlisted}),
        )
        assert kept[0].body == whole.body
        assert (kept[0].channel, kept[0].recipient) == ("sms", registration.phone)
        assert kept[0].dedupe_key == "outreach:signup:{pk}:sms"
        assert (kept[0].subject, kept[0].body_html, kept[0].secret) == ("", "", "")
        assert registration.code in kept[0].body
    # One per event and party size.
    assert len(notices._kept_texts) == 4
