"""A date the portal saved comes back in the browser's date picker.

Django writes a date input's value in the first input format of the language,
2027/06/30 in Chinese, which a date input cannot read: it showed empty, and
saving the form again dropped the date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import translation

from experts.forms import LogEntryForm
from outreach.forms import LectureAcceptForm


def test_the_saved_deadline_shows_when_the_enterprise_edits_its_need(
    login, enterprise_user, draft_need
):
    draft_need.deadline = date(2027, 6, 30)
    draft_need.save()

    page = login(enterprise_user).get(reverse("experts:need_edit", args=[draft_need.pk]))

    assert 'type="date" name="deadline" value="2027-06-30"' in page.content.decode()


def test_every_date_and_time_picker_writes_its_value_in_iso_in_chinese():
    moment = datetime(2027, 6, 30, 14, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    with translation.override("zh-hans"):
        service_log = str(LogEntryForm(initial={"occurred_on": date(2027, 6, 30)})["occurred_on"])
        lecture = str(LectureAcceptForm(initial={"starts_at": moment})["starts_at"])

    assert 'value="2027-06-30"' in service_log
    assert 'value="2027-06-30T14:05"' in lecture


def test_a_past_deadline_is_refused_together_with_the_other_mistakes(
    enterprise, login, enterprise_user
):
    response = login(enterprise_user).post(
        reverse("experts:need_create"),
        {"title": "光伏背板耐候性提升", "summary": "", "kind": "", "deadline": "2020-01-01"},
    )

    page = response.content.decode()
    assert "期望完成日期不能早于今天。" in page
    assert "请至少选择一个领域。" in page
