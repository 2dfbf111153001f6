"""Feedback after an event: one survey link per attendee who checked in,
never to a no-show; answers anonymous, once per link; staff edit the
questions per event kind and read the results with the response rate."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from kexie.platform.outbox.models import Notification
from outreach.models import (
    Event,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    Registration,
    Survey,
)
from outreach.services.feedback import feedback_submit, feedback_sweep, survey_for_kind
from tests.helpers import sent_emails, sent_sms
from tests.outreach.conftest import NOW
from tests.outreach.factories import CampaignFactory, EventFactory, RegistrationFactory

ATTENDED = Registration.Status.ATTENDED


@pytest.fixture
def past_event(db):
    return EventFactory(
        title="少儿编程周末课",
        kind=Event.Kind.WEEKEND_CLASS,
        starts_at=NOW - timedelta(hours=5),
        ends_at=NOW - timedelta(hours=3),
    )


@pytest.fixture
def attendee(past_event):
    return RegistrationFactory(
        event=past_event, status=ATTENDED, attended_count=2, party_size=2, email="mama@example.cn"
    )


def answers(survey, **by_topic):
    return {f"q{q.pk}": by_topic[q.topic] for q in survey.questions.all() if q.topic in by_topic}


def test_attendee_gets_the_survey_once_and_no_show_never(
    past_event, attendee, django_capture_on_commit_callbacks
):
    no_show = RegistrationFactory(event=past_event, status=Registration.Status.NO_SHOW)
    not_checked_in = RegistrationFactory(event=past_event)
    cancelled = RegistrationFactory(event=past_event, status=Registration.Status.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_sweep() == 1
        assert feedback_sweep() == 0
    invitation = FeedbackInvitation.objects.get()
    assert invitation.registration == attendee
    [(_phone, text)] = sent_sms(attendee.phone)
    assert "少儿编程周末课" in text
    assert invitation.get_absolute_url() in text
    [mail] = sent_emails("mama@example.cn")
    assert mail.subject == "活动反馈：少儿编程周末课"
    for other in (no_show, not_checked_in, cancelled):
        assert not sent_sms(other.phone)
    assert Notification.objects.filter(dedupe_key__startswith="outreach:feedback:").count() == 2


def test_survey_waits_until_the_event_has_been_over_for_a_while(past_event, settings):
    settings.OUTREACH_FEEDBACK_AFTER_HOURS = 4
    RegistrationFactory(event=past_event, status=ATTENDED, attended_count=1)
    assert feedback_sweep() == 0
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert feedback_sweep() == 1


def test_no_survey_for_long_past_or_cancelled_events(db, settings):
    settings.OUTREACH_FEEDBACK_WITHIN_DAYS = 14
    old = EventFactory(starts_at=NOW - timedelta(days=20), ends_at=NOW - timedelta(days=20))
    called_off = EventFactory(
        status=Event.Status.CANCELLED,
        starts_at=NOW - timedelta(days=1),
        ends_at=NOW - timedelta(days=1),
    )
    for event in (old, called_off):
        RegistrationFactory(event=event, status=ATTENDED, attended_count=1)
    assert feedback_sweep() == 0


def test_answers_are_recorded_once_and_know_nothing_of_the_person(past_event, attendee):
    feedback_sweep()
    invitation = FeedbackInvitation.objects.get()
    survey = survey_for_kind(past_event.kind)
    response = feedback_submit(
        invitation=invitation,
        data=answers(survey, overall="5", content="4", recommend="1", other="孩子很喜欢"),
    )
    assert {f.name for f in FeedbackResponse._meta.get_fields()} == {
        "id",
        "event",
        "survey",
        "submitted_on",
        "answers",
    }
    assert response.event == past_event
    assert sorted(FeedbackAnswer.objects.values_list("value", flat=True), key=str) == [
        1,
        4,
        5,
        None,
    ]
    with pytest.raises(Exception, match="您已经提交过这次活动的反馈"):
        feedback_submit(invitation=invitation, data=answers(survey, overall="3"))
    assert FeedbackResponse.objects.count() == 1


def test_a_required_question_left_empty_is_refused_and_nothing_saved(past_event, attendee):
    feedback_sweep()
    invitation = FeedbackInvitation.objects.get()
    survey = survey_for_kind(past_event.kind)
    with pytest.raises(Exception) as caught:
        feedback_submit(invitation=invitation, data=answers(survey, content="9"))
    overall = survey.questions.get(topic="overall")
    content = survey.questions.get(topic="content")
    assert caught.value.message_dict == {
        f"q{overall.pk}": ["请回答这一题。"],
        f"q{content.pk}": ["请选择一个选项。"],
    }
    assert not FeedbackResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_parent_answers_on_the_page_and_a_second_post_changes_nothing(client, past_event, attendee):
    feedback_sweep()
    invitation = FeedbackInvitation.objects.get()
    survey = survey_for_kind(past_event.kind)
    url = reverse("outreach:feedback", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "反馈是匿名的" in page.content.decode()
    assert attendee.name not in page.content.decode()
    refused = client.post(url, answers(survey, content="4"))
    assert refused.status_code == 400
    assert "请回答这一题。" in refused.content.decode()
    done = client.post(url, answers(survey, overall="4", other="希望多办几场"), follow=True)
    assert "已收到您的反馈" in done.content.decode()
    client.post(url, answers(survey, overall="1"))
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackAnswer.objects.get(question__topic="overall").value == 4


def test_the_attendee_who_lost_the_message_finds_the_survey_on_their_sign_up_page(
    client, past_event, attendee
):
    page = reverse("outreach:registration_manage", args=[attendee.code])
    assert "填写反馈" not in client.get(page).content.decode()
    feedback_sweep()
    invitation = FeedbackInvitation.objects.get()
    link = reverse("outreach:feedback", args=[invitation.token])
    assert link in client.get(page).content.decode()
    survey = survey_for_kind(past_event.kind)
    client.post(link, answers(survey, overall="5"))
    assert link not in client.get(page).content.decode()


def test_a_wrong_link_is_not_found(client, db):
    assert client.get(reverse("outreach:feedback", args=["nope"])).status_code == 404


def test_a_link_cut_short_says_what_to_check_and_where_to_go(client, past_event, attendee):
    feedback_sweep()
    token = FeedbackInvitation.objects.get().token
    response = client.get(reverse("outreach:feedback", args=[token[:-3]]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "没有找到这份问卷" in html
    assert "请从短信或邮件中完整复制链接后再打开" in html
    assert reverse("outreach:recover_start") in html
    posted = client.post(reverse("outreach:feedback", args=[token[:-3]]), {"q1": "5"})
    assert posted.status_code == 404
    assert not FeedbackResponse.objects.exists()


def test_staff_edit_the_questions_of_a_kind(past_event, attendee, staff_client):
    survey = survey_for_kind(past_event.kind)
    question = survey.questions.get(topic="speaker")
    question.text = "您喜欢这次的实验老师吗？"
    question.save()
    feedback_sweep()
    invitation = FeedbackInvitation.objects.get()
    page = staff_client.get(reverse("admin:outreach_survey_change", args=[survey.pk]))
    assert page.status_code == 200
    assert "您喜欢这次的实验老师吗？" in page.content.decode()
    from django.test import Client

    assert (
        "您喜欢这次的实验老师吗？"
        in Client().get(reverse("outreach:feedback", args=[invitation.token])).content.decode()
    )
    assert Survey.objects.filter(kind=past_event.kind).count() == 1


def test_reports_show_results_per_event_and_campaign_with_the_response_rate(staff_client, db):
    campaign = CampaignFactory(name="小小科学+")
    event = EventFactory(
        title="趣味化学实验",
        campaign=campaign,
        status=Event.Status.FINISHED,
        starts_at=NOW - timedelta(days=2),
        ends_at=NOW - timedelta(days=2) + timedelta(hours=2),
    )
    people = [RegistrationFactory(event=event, status=ATTENDED, attended_count=1) for _ in range(4)]
    feedback_sweep()
    survey = survey_for_kind(event.kind)
    for registration, (overall, recommend) in zip(people, [("5", "1"), ("4", "0")], strict=False):
        feedback_submit(
            invitation=registration.feedback_invitation,
            data=answers(survey, overall=overall, recommend=recommend),
        )
    page = staff_client.get("/staff/reports/?year=2026")
    assert page.status_code == 200
    tables = page.context["tables"]
    assert tables["feedback_events"].rows == [
        ["05-30 趣味化学实验", 4, 2, 50.0, 4.5, "—", "—", 50.0]
    ]
    assert tables["feedback_campaigns"].rows == [
        ["小小科学+", 4, 2, 50.0, 4.5, "—", "—", 50.0],
        ["合计", 4, 2, 50.0, "", "", "", ""],
    ]
