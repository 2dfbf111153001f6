import pytest
import time_machine

from experts.models import Expert, TechNeed
from experts.services import reminders
from kexie.platform.outbox.models import Notification
from tests.experts.factories import ExpertFactory, NeedFactory, discipline
from tests.helpers import sent_emails

S = TechNeed.Status


def keys(prefix):
    return sorted(
        Notification.objects.filter(dedupe_key__startswith=prefix).values_list(
            "dedupe_key", flat=True
        )
    )


def test_enterprise_reminded_to_rate_exactly_once(
    draft_need, advance, enterprise_user, expert, settings, django_capture_on_commit_callbacks
):
    settings.EXPERTS_RATING_REMINDER_DAYS = 7
    with (
        time_machine.travel("2026-03-02 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        advance(draft_need, S.RESOLVED, owner=enterprise_user, expert=expert)
    with time_machine.travel("2026-03-08 10:00 +0800", tick=False):
        assert reminders.rating_reminder() == 0
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
            reminders.rating_reminder()
        with time_machine.travel("2026-03-17 10:00 +0800", tick=False):
            reminders.rating_reminder()
    subjects = [m.subject for m in sent_emails(enterprise_user.email)]
    assert subjects.count(f"提醒：请为本次服务评价：{draft_need.title}") == 1
    assert subjects.count(f"请为本次服务评价：{draft_need.title}") == 1


def test_weekly_digest_goes_once_to_experts_of_the_field_who_want_it(
    enterprise, enterprise_user, advance, materials, expert, django_capture_on_commit_callbacks
):
    opted_out = ExpertFactory(fields=[materials], weekly_digest=False)
    elsewhere = ExpertFactory(fields=[discipline("550")])
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        need = advance(
            NeedFactory(enterprise=enterprise, fields=[materials]),
            S.PUBLISHED,
            owner=enterprise_user,
        )
    with (
        time_machine.travel("2026-03-09 08:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders.weekly_digest() == 1
        reminders.weekly_digest()
    assert keys("experts:digest:") == [f"experts:digest:{expert.pk}:2026-W11"]
    [mail] = sent_emails(expert.user.email)
    assert need.title in mail.body
    assert not sent_emails(opted_out.contact_email)
    assert not sent_emails(elsewhere.contact_email)


def test_digest_skips_weeks_without_new_needs(expert):
    with time_machine.travel("2026-03-09 08:00 +0800", tick=False):
        assert reminders.weekly_digest() == 0
    assert not Notification.objects.exists()


@pytest.mark.parametrize("availability", [Expert.Availability.UNAVAILABLE])
def test_unavailable_expert_gets_no_digest(
    enterprise, enterprise_user, advance, materials, expert, availability
):
    expert.availability = availability
    expert.save()
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        advance(
            NeedFactory(enterprise=enterprise, fields=[materials]),
            S.PUBLISHED,
            owner=enterprise_user,
        )
    with time_machine.travel("2026-03-09 08:00 +0800", tick=False):
        assert reminders.weekly_digest() == 0


def test_periodic_tasks_are_scheduled():
    from kexie.celery import BEAT_SCHEDULE

    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert {
        "kexie.platform.digests.tasks.staff_digest",
        "experts.tasks.invitation_reminder",
        "experts.tasks.rating_reminder",
        "experts.tasks.weekly_digest",
        "experts.tasks.recommendations_refresh",
    } <= tasks


def test_invited_expert_who_has_not_answered_is_reminded_once(
    draft_need,
    advance,
    enterprise_user,
    expert,
    other_expert,
    staff_user,
    settings,
    django_capture_on_commit_callbacks,
):
    from experts.services import matching, responses

    settings.EXPERTS_INVITATION_REMINDER_WORKING_DAYS = 3
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):  # Monday
        advance(draft_need, S.MATCHED, owner=enterprise_user, expert=expert)
        matching.invitation_create(need=draft_need, expert=other_expert, by=staff_user)
        responses.response_create(
            need=draft_need,
            expert=other_expert,
            by=other_expert.user,
            approach="方案",
            duration="1个月",
        )
    with time_machine.travel("2026-03-04 10:00 +0800", tick=False):
        assert reminders.invitation_reminder() == 0
    with (
        time_machine.travel("2026-03-05 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders.invitation_reminder() == 1  # the one who already answered is left alone
        reminders.invitation_reminder()
    subject = f"提醒：邀请您对接的需求仍在等待响应：{draft_need.title}"
    assert [m.subject for m in sent_emails(expert.user.email)] == [subject]
    assert not sent_emails(other_expert.user.email)


def test_declined_invitation_gets_no_reminder(matched_need, expert):
    from experts.services import matching

    invitation = matched_need.invitations.get(expert=expert)
    matching.invitation_decline(invitation=invitation, by=expert.user)
    with time_machine.travel("2030-01-10 10:00 +0800", tick=False):
        assert reminders.invitation_reminder() == 0


def test_every_message_renders_as_sms_for_users_without_email(
    draft_need, advance, enterprise_user, expert, django_capture_on_commit_callbacks
):
    """Users with only a phone get each message as an SMS: render them all."""
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.template.loader import render_to_string

    from experts.models import Rating

    advance(draft_need, S.RATED, owner=enterprise_user, expert=expert)
    engagement = draft_need.engagement
    context = {
        "site_name": "平湖市科协",
        "need": draft_need,
        "need_url": "https://kexie.test/bang/needs/1/",
        "board_url": "https://kexie.test/bang/",
        "reason": "信息不完整",
        "expert": expert,
        "response": engagement.response,
        "rating": Rating.objects.get(engagement=engagement),
        "needs": [(draft_need, "https://kexie.test/bang/needs/1/")],
        "enterprise": draft_need.enterprise,
        "achievement": {"title": "液冷板"},
        "interest": {"message": "想合作"},
        "message": {"body": "请问周期？"},
        "invitation": {"message": ""},
    }
    names = sorted(
        p.stem for p in (Path(django_settings.BASE_DIR) / "templates/sms").glob("experts-*.txt")
    )
    assert len(names) >= 13
    for name in names:
        text = render_to_string(f"sms/{name}.txt", context).strip()
        assert text.startswith("【平湖市科协】"), name
        assert "{" not in text, name
