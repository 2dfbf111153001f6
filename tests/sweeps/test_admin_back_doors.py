"""Ways the admin offered around the services, closed: inline rows marked for
deletion, and an old version posted back from the history page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import TechNeed
from outreach.models import (
    Audience,
    Event,
    FeedbackAnswer,
    FeedbackResponse,
    ReachEntry,
    Survey,
    SurveyQuestion,
)
from outreach.services.feedback import survey_for_kind
from tests.experts.factories import EnterpriseFactory, NeedFactory
from tests.outreach.factories import EventFactory
from tests.sweeps.adminforms import change_url, form_data, inline_prefix

pytestmark = pytest.mark.django_db


def test_deleting_an_audience_count_row_adds_the_reach_up_again(staff_client, staff_user):
    past = EventFactory(
        status=Event.Status.FINISHED,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    kept, dropped = Audience.objects.order_by("pk")[:2]
    ReachEntry.objects.create(event=past, audience=kept, walk_in=5, online=0)
    gone = ReachEntry.objects.create(event=past, audience=dropped, walk_in=12, online=30)
    Event.objects.filter(pk=past.pk).update(reach_total=47)
    page = staff_client.get(change_url(past))
    data = form_data(page)
    prefix = inline_prefix(page, ReachEntry)
    row = next(
        key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.startswith(prefix) and key.endswith("-id") and value == str(gone.pk)
    )
    data[f"{row}-DELETE"] = "on"

    assert staff_client.post(change_url(past), data).status_code == 302

    assert list(ReachEntry.objects.filter(event=past)) == [ReachEntry.objects.get(audience=kept)]
    past.refresh_from_db()
    assert past.reach_total == 5
    assert gone.history.latest("history_date").history_user == staff_user


def _old_version_url(obj):
    meta = obj._meta
    version = obj.history.order_by("history_id").first()
    return reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def test_an_old_version_of_a_workflow_record_is_read_not_posted_back(staff_client):
    need = NeedFactory(enterprise=EnterpriseFactory())
    url = _old_version_url(need)
    page = staff_client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data["status"] = TechNeed.Status.PUBLISHED
    assert staff_client.post(url, data).status_code == 403
    need.refresh_from_db()
    assert need.status == TechNeed.Status.DRAFT


def test_an_old_version_of_an_event_is_not_restored_around_its_services(staff_client):
    event = EventFactory(status=Event.Status.DRAFT, title="第一版标题")
    event.title = "第二版标题"
    event.save()
    url = _old_version_url(event)
    page = staff_client.get(url)
    assert page.status_code == 200
    assert staff_client.post(url, form_data(page)).status_code == 403
    event.refresh_from_db()
    assert event.title == "第二版标题"


def test_an_answered_survey_question_is_kept_and_an_unanswered_one_deleted(staff_client):
    event = EventFactory(status=Event.Status.FINISHED)
    survey = survey_for_kind(event.kind)
    answered, unanswered = survey.questions.order_by("order")[:2]
    response = FeedbackResponse.objects.create(event=event, survey=survey)
    FeedbackAnswer.objects.create(response=response, question=answered, value=5)
    page = staff_client.get(change_url(survey))
    prefix = inline_prefix(page, SurveyQuestion)
    data = form_data(page)
    rows = {
        value: key.rsplit("-", 1)[0]
        for key, value in data.items()
        if key.startswith(prefix) and key.endswith("-id")
    }
    data[f"{rows[str(answered.pk)]}-DELETE"] = "on"
    data["title"] = "改过的问卷标题"

    page = staff_client.post(change_url(survey), data)

    assert page.status_code == 200
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is SurveyQuestion
    )
    assert formset.non_form_errors() == [
        f"题目「{answered.text}」已有人回答，不能删除（回答计入反馈统计）；可以改为非必答。"
    ]
    assert page.context["adminform"].form["title"].value() == "改过的问卷标题"
    assert SurveyQuestion.objects.filter(pk=answered.pk).exists()
    assert FeedbackAnswer.objects.filter(question=answered).count() == 1
    assert Survey.objects.get(pk=survey.pk).title != "改过的问卷标题"

    data = form_data(staff_client.get(change_url(survey)))
    data[f"{rows[str(unanswered.pk)]}-DELETE"] = "on"
    assert staff_client.post(change_url(survey), data).status_code == 302
    assert not SurveyQuestion.objects.filter(pk=unanswered.pk).exists()
