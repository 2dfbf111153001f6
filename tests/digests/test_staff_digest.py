"""The staff's daily digest gathers every app's overdue work in one message
a day, and two sweeps at once still write one digest per person."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from kexie.platform.digests.services import staff_digest_send
from kexie.platform.outbox.models import Notification
from outreach.models import Event, LectureRequest
from tests.conftest import requires_postgres
from tests.factories import TownFactory, UserFactory
from tests.helpers import sent_emails
from tests.outreach.conftest import NOW
from tests.outreach.factories import AudienceFactory, EventFactory, SpeakerTeamFactory


def _lecture_request(**fields):
    return LectureRequest.objects.create(
        team=SpeakerTeamFactory(),
        topic_text="人工智能与生活",
        organisation="当湖街道社区学校",
        town=TownFactory(),
        contact_name="王老师",
        contact_phone="13800001111",
        preferred_date=NOW.date() + timedelta(days=30),
        audience=AudienceFactory(),
        expected_attendance=40,
        **fields,
    )


@pytest.mark.django_db
def test_digest_lists_waiting_lecture_requests_and_events_not_closed(
    staff_user, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kexie.test"
    settings.OUTREACH_LECTURE_REQUEST_ALERT_WORKING_DAYS = 2
    settings.OUTREACH_CLOSE_EVENT_ALERT_WORKING_DAYS = 3
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):  # Monday
        request = _lecture_request()
        _lecture_request(status=LectureRequest.Status.DECLINED, decline_reason="时间冲突")
        over = EventFactory(
            title="已结束的亲子讲座",
            starts_at=NOW - timedelta(days=1, hours=2),
            ends_at=NOW - timedelta(days=1),
        )
        EventFactory(
            title="已登记的讲座",
            status=Event.Status.FINISHED,
            starts_at=NOW - timedelta(days=1, hours=2),
            ends_at=NOW - timedelta(days=1),
        )
    with (
        time_machine.travel("2026-06-04 10:00 +0800", tick=False),  # Thursday
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert staff_digest_send() == 1
    [mail] = sent_emails(staff_user.email)
    assert "【待受理的点单讲座申请】1" in mail.body
    assert "当湖街道社区学校 · 人工智能与生活 — 已等待3个工作日" in mail.body
    assert f"https://kexie.test/staff/lecture-requests/{request.pk}/" in mail.body
    assert "【已结束但未完成登记的活动】1" in mail.body
    # Ended on Sunday 31 May: Monday to Thursday.
    assert f"{over.title} — 已结束4个工作日" in mail.body
    assert "已登记的讲座" not in mail.body


def _run_together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_one_digest_per_member_of_staff():
    from kexie.platform.accounts.models import User

    staff = [UserFactory(role=User.Role.STAFF, is_staff=True) for _ in range(3)]
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        _lecture_request()

    def sweep(_i):
        with time_machine.travel("2026-06-04 10:00 +0800", tick=False):
            staff_digest_send()

    assert _run_together(2, sweep) == []
    keys = list(
        Notification.objects.filter(dedupe_key__startswith="digest:staff:").values_list(
            "dedupe_key", flat=True
        )
    )
    assert sorted(keys) == sorted(f"digest:staff:2026-06-04:user:{user.pk}" for user in staff)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_weekly_sweeps_at_once_send_each_expert_one_digest(staff_user):
    from experts.models import TechNeed
    from experts.services import needs
    from tests.experts.factories import EnterpriseFactory, ExpertFactory, NeedFactory, discipline

    field = discipline("430")
    owner = UserFactory(role="enterprise")
    enterprise = EnterpriseFactory(users=[owner])
    experts = [ExpertFactory(fields=[field], contact_email=f"e{i}@example.cn") for i in range(3)]
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        need = NeedFactory(enterprise=enterprise, fields=[field])
        needs.need_submit(need=need, by=owner)
        needs.need_publish(need=need, by=staff_user)
    assert TechNeed.objects.get(pk=need.pk).status == TechNeed.Status.PUBLISHED

    def sweep(_i):
        from experts.services import reminders

        with time_machine.travel("2026-03-09 08:00 +0800", tick=False):
            reminders.weekly_digest()

    assert _run_together(2, sweep) == []
    keys = Notification.objects.filter(dedupe_key__startswith="experts:digest:").values_list(
        "dedupe_key", flat=True
    )
    assert sorted(keys) == sorted(f"experts:digest:{e.pk}:2026-W11" for e in experts)
