"""Nothing a staff member typed is lost when a service refuses an admin save:
the form comes back as typed, with the service's message on the field it
names (on the inline row it concerns) or above the form, and nothing is saved
(the change form's transaction rolled back)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone

from kexie.platform.lib.admin_doors import _Refused, _refused_formset
from members.models import ContestProject, ProgressUpdate
from outreach.models import EventRecap, ReachEntry
from tests.factories import SocietyFactory
from tests.members.factories import ContestProjectFactory
from tests.outreach.factories import AudienceFactory, EventFactory
from tests.sweeps.adminforms import change_url, form_data, inline_prefix

pytestmark = pytest.mark.django_db


def _inline(page, model):
    return next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


@pytest.fixture
def project(db):
    project = ContestProjectFactory(society=SocietyFactory(), year=2024, title="原来的题目")
    ProgressUpdate.objects.create(project=project, date=date(2024, 6, 1), text="开题")
    return project


def test_a_refused_change_is_shown_again_as_typed_with_the_message_on_its_field(
    staff_client, project
):
    data = form_data(staff_client.get(change_url(project)))
    data.update({"year": "2025", "title": "改过的题目", "goal": "新写的目标"})

    page = staff_client.post(change_url(project), data)

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.errors["year"] == ["已有早于该年度的进展记录，不能改到该年度。"]
    assert (form["title"].value(), form["goal"].value(), form["year"].value()) == (
        "改过的题目",
        "新写的目标",
        "2025",
    )
    html = page.content.decode()
    assert 'value="改过的题目"' in html and "已有早于该年度的进展记录" in html
    project.refresh_from_db()
    assert (project.year, project.title) == (2024, "原来的题目")
    assert project.history.count() == 1


def test_a_refused_inline_row_keeps_every_row_and_names_the_row(staff_client, project):
    page = staff_client.get(change_url(project))
    prefix = inline_prefix(page, ProgressUpdate)
    data = form_data(page)
    data.update(
        {
            "title": "改过的题目",
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-1-date": "2023-06-01",
            f"{prefix}-1-text": "去年就开始了",
        }
    )

    page = staff_client.post(change_url(project), data)

    assert page.status_code == 200
    rows = _inline(page, ProgressUpdate).forms
    assert rows[1].errors["date"] == ["进展日期不能早于项目所在年度。"]
    assert rows[1]["text"].value() == "去年就开始了"
    assert page.context["adminform"].form["title"].value() == "改过的题目"
    project.refresh_from_db()
    assert project.title == "原来的题目"
    assert list(project.updates.values_list("text", flat=True)) == ["开题"]


def test_a_refused_row_without_a_field_is_named_above_the_rows(staff_client):
    coming = EventFactory(starts_at=timezone.now() + timedelta(days=3), title="原标题")
    page = staff_client.get(change_url(coming))
    prefix = inline_prefix(page, ReachEntry)
    data = form_data(page)
    data.update(
        {
            "title": "新标题",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-audience": str(AudienceFactory().pk),
            f"{prefix}-0-walk_in": "12",
            f"{prefix}-0-online": "30",
        }
    )

    page = staff_client.post(change_url(coming), data)

    assert page.status_code == 200
    rows = _inline(page, ReachEntry)
    assert rows.non_form_errors() == ["活动开始后才能登记受众人次。"]
    assert rows.forms[0]["walk_in"].value() == "12"
    assert page.context["adminform"].form["title"].value() == "新标题"
    coming.refresh_from_db()
    assert coming.title == "原标题"
    assert not ReachEntry.objects.exists()


def test_a_refused_add_form_is_shown_again_with_the_message_above_it(staff_client):
    coming = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    page = staff_client.post(
        reverse("admin:outreach_eventrecap_add"),
        {
            "event": coming.pk,
            "summary": "提前写好的回顾",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )

    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.non_field_errors() == ["活动结束后才能添加活动回顾。"]
    assert form["summary"].value() == "提前写好的回顾"
    assert "提前写好的回顾" in page.content.decode()
    assert not EventRecap.objects.exists()


def test_the_refused_form_posted_again_as_corrected_is_saved(staff_client, project):
    data = form_data(staff_client.get(change_url(project)))
    data.update({"year": "2025", "title": "改过的题目"})
    page = staff_client.post(change_url(project), data)
    again = form_data(page)
    again["year"] = "2024"

    assert staff_client.post(change_url(project), again).status_code == 302

    project.refresh_from_db()
    assert (project.year, project.title) == (2024, "改过的题目")
    assert ContestProject.objects.count() == 1


def test_a_row_refused_on_a_field_it_does_not_show_gets_the_message_above_the_rows(project):
    rows = inlineformset_factory(ContestProject, ProgressUpdate, fields=["text"], extra=0)
    refused = _Refused(ValidationError({"date": "进展日期不能早于项目所在年度。"}), row="updates-0")
    update = project.updates.get()
    formset = _refused_formset(rows, refused)(
        {
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "1",
            "updates-0-id": str(update.pk),
            "updates-0-project": str(project.pk),
            "updates-0-text": "开题报告",
        },
        instance=project,
        prefix="updates",
    )

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["进展日期不能早于项目所在年度。"]
    assert formset.forms[0]["text"].value() == "开题报告"
