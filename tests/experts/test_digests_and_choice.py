"""Staff hear of overdue needs in one daily digest that counts working days;
experts can stop their weekly digest from a link in it; experts not chosen
are told, with the enterprise's reason, and thanked."""

import re

import time_machine
from django.urls import reverse

from experts.digest_links import stop_token
from experts.models import Response, TechNeed
from experts.services import matching, needs, reminders, responses
from kexie.platform.digests.services import staff_digest_send
from kexie.platform.outbox.models import Notification
from tests.experts.factories import NeedFactory
from tests.helpers import sent_emails, sent_sms

S = TechNeed.Status


def digest_keys():
    return sorted(
        Notification.objects.filter(dedupe_key__startswith="digest:staff:").values_list(
            "dedupe_key", flat=True
        )
    )


def test_need_waiting_for_review_across_spring_festival_is_not_overdue_early(
    draft_need, enterprise_user, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.EXPERTS_REVIEW_ALERT_WORKING_DAYS = 2
    with time_machine.travel("2026-02-13 10:00 +0800", tick=False):  # Friday before the holiday
        needs.need_submit(need=draft_need, by=enterprise_user)
    # Saturday 14 Feb is a worked day: one working day. The holiday week adds none.
    with time_machine.travel("2026-02-23 09:00 +0800", tick=False):  # last day off
        assert staff_digest_send() == 0
    with (
        time_machine.travel("2026-02-24 11:00 +0800", tick=False),  # first day back
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert staff_digest_send() == 1
    [mail] = sent_emails(staff_user.email)
    assert draft_need.title in mail.body
    assert "已等待2个工作日" in mail.body
    assert mail.subject == "每日待办摘要（2026-02-24）：1项已逾期"


def test_staff_get_one_digest_a_day_grouped_with_links(
    draft_need,
    enterprise,
    enterprise_user,
    advance,
    staff_user,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EXPERTS_REVIEW_ALERT_WORKING_DAYS = 2
    settings.EXPERTS_RESPONSE_ALERT_WORKING_DAYS = 5
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):  # Monday
        published = advance(NeedFactory(enterprise=enterprise), S.PUBLISHED, owner=enterprise_user)
        needs.need_submit(need=draft_need, by=enterprise_user)
    with (
        time_machine.travel("2026-03-09 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert staff_digest_send() == 1
        assert staff_digest_send() == 1  # the same row: nothing new written
    assert digest_keys() == [f"digest:staff:2026-03-09:user:{staff_user.pk}"]
    [mail] = sent_emails(staff_user.email)
    body = mail.body
    assert body.index("【等待审核的技术需求】") < body.index(draft_need.title)
    assert body.index("【发布后仍无专家响应的需求】") < body.index(published.title)
    assert "已等待5个工作日" in body
    assert "发布已5个工作日" in body
    assert f"/bang/needs/{draft_need.pk}/" in body
    assert f"/bang/needs/{published.pk}/" in body


def test_no_digest_on_a_day_off_or_when_nothing_is_overdue(
    draft_need, enterprise_user, staff_user, settings
):
    settings.EXPERTS_REVIEW_ALERT_WORKING_DAYS = 1
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        assert staff_digest_send() == 0  # nothing overdue
        needs.need_submit(need=draft_need, by=enterprise_user)
    with time_machine.travel("2026-03-08 10:00 +0800", tick=False):  # a Sunday
        assert staff_digest_send() == 0
    assert not Notification.objects.filter(dedupe_key__startswith="digest:").exists()


def test_staff_without_email_get_the_digest_by_sms(
    draft_need, enterprise_user, staff_user, settings, django_capture_on_commit_callbacks
):
    staff_user.email = ""
    staff_user.save()
    settings.EXPERTS_REVIEW_ALERT_WORKING_DAYS = 1
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        needs.need_submit(need=draft_need, by=enterprise_user)
    with (
        time_machine.travel("2026-03-04 10:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        staff_digest_send()
    [(_phone, text)] = sent_sms(staff_user.phone)
    assert "1项待办已逾期" in text


def test_weekly_digest_carries_a_stop_link_that_works_without_logging_in(
    enterprise,
    enterprise_user,
    advance,
    materials,
    expert,
    client,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        advance(
            NeedFactory(enterprise=enterprise, fields=[materials]),
            S.PUBLISHED,
            owner=enterprise_user,
        )
    with (
        time_machine.travel("2026-03-09 08:00 +0800", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders.weekly_digest() == 1
    [mail] = sent_emails(expert.user.email)
    [url] = re.findall(r"https://kexie\.test(/bang/digest/stop/[^/]+/)", mail.body)
    page = client.get(url)
    assert page.status_code == 200
    expert.refresh_from_db()
    assert expert.weekly_digest  # opening the link changes nothing
    assert client.post(url).status_code == 200
    expert.refresh_from_db()
    assert not expert.weekly_digest
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        advance(
            NeedFactory(enterprise=enterprise, fields=[materials]),
            S.PUBLISHED,
            owner=enterprise_user,
        )
    with time_machine.travel("2026-03-16 08:00 +0800", tick=False):
        assert reminders.weekly_digest() == 0


def test_a_forged_stop_link_is_not_found(expert, client):
    token = stop_token(expert)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(reverse("experts:digest_stop", args=[forged])).status_code == 404
    expert.refresh_from_db()
    assert expert.weekly_digest


def test_experts_not_chosen_are_told_the_reason_and_thanked(
    draft_need,
    advance,
    enterprise_user,
    expert,
    other_expert,
    staff_user,
    django_capture_on_commit_callbacks,
):
    advance(draft_need, S.MATCHED, owner=enterprise_user, expert=expert)
    matching.invitation_create(need=draft_need, expert=other_expert, by=staff_user)
    chosen = responses.response_create(
        need=draft_need, expert=expert, by=expert.user, approach="方案甲", duration="1个月"
    )
    other = responses.response_create(
        need=draft_need,
        expert=other_expert,
        by=other_expert.user,
        approach="方案乙",
        duration="2个月",
    )
    with django_capture_on_commit_callbacks(execute=True):
        responses.response_accept(
            response=chosen, by=enterprise_user, reason="  专家离厂区更近，便于现场调试  "
        )
    other.refresh_from_db()
    assert other.status == Response.Status.NOT_SELECTED
    [mail] = sent_emails(other_expert.user.email)
    assert mail.subject == f"感谢您响应技术需求：{draft_need.title}"
    assert "企业说明的理由：专家离厂区更近，便于现场调试" in mail.body
    assert "衷心感谢" in mail.body
    assert all("感谢您响应" not in m.subject for m in sent_emails(expert.user.email))
    assert draft_need.engagement.choice_reason == "专家离厂区更近，便于现场调试"


def test_expert_not_chosen_without_a_reason_is_thanked_all_the_same(
    draft_need,
    advance,
    enterprise_user,
    expert,
    other_expert,
    staff_user,
    django_capture_on_commit_callbacks,
    login,
):
    advance(draft_need, S.MATCHED, owner=enterprise_user, expert=expert)
    matching.invitation_create(need=draft_need, expert=other_expert, by=staff_user)
    chosen = responses.response_create(
        need=draft_need, expert=expert, by=expert.user, approach="方案甲", duration="1个月"
    )
    responses.response_create(
        need=draft_need,
        expert=other_expert,
        by=other_expert.user,
        approach="方案乙",
        duration="2个月",
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(enterprise_user).post(
            reverse("experts:response_accept", args=[chosen.pk]), {"confirmed": "yes"}
        )
    [mail] = sent_emails(other_expert.user.email)
    assert "理由" not in mail.body
    assert "衷心感谢" in mail.body
