"""The workbench's aftercare blocks, for association staff: the newest
feedback results with the response rate, certificates issued and revoked,
and the privacy desk (what the next nightly run anonymises, the latest
exports of personal data)."""

from datetime import timedelta

import pytest

from kexie.platform.privacy.models import ExportLog
from kexie.platform.privacy.services import export_log
from outreach.models import Event, FeedbackInvitation, Registration
from outreach.services.certificates import certificate_for_registration, certificate_revoke
from outreach.services.feedback import feedback_submit, feedback_sweep, survey_for_kind
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

URL = "/staff/"
ATTENDED = Registration.Status.ATTENDED


def _held(title: str, attendees: int, *, days_ago: int = 1) -> Event:
    event = EventFactory(
        title=title,
        starts_at=NOW - timedelta(days=days_ago, hours=3),
        ends_at=NOW - timedelta(days=days_ago),
        gives_certificate=True,
    )
    for _ in range(attendees):
        RegistrationFactory(event=event, status=ATTENDED, attended_count=1)
    return event


@pytest.fixture
def aftercare(staff_user):
    event = _held("少儿编程周末课", 4)
    feedback_sweep()
    survey = survey_for_kind(event.kind)
    overall = survey.questions.get(topic="overall")
    for invitation, value in zip(FeedbackInvitation.objects.all()[:2], ("5", "4"), strict=True):
        feedback_submit(invitation=invitation, data={f"q{overall.pk}": value})
    certificates = [certificate_for_registration(r) for r in event.registrations.all()]
    certificate_revoke(certificate=certificates[0], by=staff_user, reason="签到记录有误")
    _held("十年前的天文课", 1, days_ago=3650)  # past the retention limit
    export_log(user=staff_user, what="报名名单：少儿编程周末课（#1）", rows=4, fields=["姓名"])
    return event


def test_staff_see_feedback_certificates_and_the_privacy_desk(staff_client, aftercare):
    body = staff_client.get(URL).content.decode()
    # Feedback: 4 links sent, 2 answers (50%), overall 4.5 of 5.
    assert "活动反馈" in body
    assert "发送 4 · 收到 2（50%）" in body and "总体满意度 4.5/5" in body
    # Certificates: 4 issued, 1 revoked, the event with its count.
    assert "近 30 天发放 4 份，撤销 1 份" in body
    assert "已发放 4 份 · 签到 4 组" in body
    # Privacy: the old sign-up is due tonight; the export is listed with who.
    assert "今晚到期匿名化的记录" in body and "活动报名 1" in body
    assert "报名名单：少儿编程周末课（#1）" in body and "工作人员" in body


def test_managers_do_not_see_the_aftercare_blocks(login, manager_user, aftercare):
    body = login(manager_user).get(URL).content.decode()
    assert "个人信息保护</h2>" not in body and "近 30 天发放" not in body


@pytest.mark.parametrize("rows", [5, 200])
def test_the_blocks_cost_the_same_at_5_and_200_rows(
    staff_client, staff_user, django_assert_max_num_queries, rows
):
    for n in range(rows // 5):
        _held(f"活动{n}", 5)
    feedback_sweep()
    for registration in Registration.objects.all():
        certificate_for_registration(registration)
    ExportLog.objects.bulk_create(
        [ExportLog(user=staff_user, what=f"导出{n}", rows=n) for n in range(rows)]
    )
    # The same budget as the whole workbench (tests/workbench/test_workbench.py).
    with django_assert_max_num_queries(24):
        assert staff_client.get(URL).status_code == 200
