"""Every form that collects personal data shows its notice (what, why, how
long, who to ask), and submitting under it records the consent: which notice,
which version, when, which record."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from experts.models import Enterprise, Expert, ExpertApplication
from kexie.platform.privacy.models import Consent
from kexie.platform.privacy.notices import notice
from kexie.platform.verification.models import VerificationCode
from outreach.models import FeedbackInvitation, FeedbackResponse, Registration
from outreach.services.feedback import feedback_sweep, survey_for_kind
from tests.experts.factories import ExpertFactory, credit_code, discipline
from tests.factories import UserFactory
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def shows_notice(page: str, key: str) -> bool:
    current = notice(key)
    return all(
        part in page
        for part in ("个人信息告知", "收集的信息", "用途", "保存期限", "查询、更正、删除")
    ) and (f"告知版本：{current.version}" in page)


def the_consent(record) -> Consent:
    return Consent.objects.get(record_type=record._meta.label_lower, record_id=record.pk)


@pytest.mark.parametrize(
    ("url_name", "key", "role"),
    [
        ("accounts:register", "account", None),
        ("privacy:start", "data_request", None),
        ("outreach:recover_start", "recover", None),
        ("experts:enterprise_register", "enterprise", "enterprise"),
        ("experts:expert_apply", "expert", "public"),
        ("experts:expert_link_start", "expert_link", "expert"),
    ],
)
def test_each_form_shows_its_notice(client, login, url_name, key, role):
    if role:
        client = login(UserFactory(role=role))
    assert shows_notice(client.get(reverse(url_name)).content.decode(), key)


def test_the_sign_up_form_shows_its_notice(client):
    with time_machine.travel(NOW, tick=False):
        event = EventFactory()
        assert shows_notice(client.get(event.get_absolute_url()).content.decode(), "signup")


def test_registering_an_enterprise_records_the_consent(login):
    user = UserFactory(role="enterprise")
    response = login(user).post(
        reverse("experts:enterprise_register"),
        {
            "name": "平湖新材料有限公司",
            "credit_code": credit_code(91),
            "industry": "materials",
            "size": "small",
            "contact_name": "王经理",
            "contact_phone": "0573-85000000",
        },
    )
    assert response.status_code == 302
    consent = the_consent(Enterprise.objects.get())
    assert (consent.notice, consent.version) == ("enterprise", notice("enterprise").version)


def test_an_expert_application_and_a_profile_save_record_the_consent_once(login):
    applicant = UserFactory(role="public")
    response = login(applicant).post(
        reverse("experts:expert_apply"),
        {
            "name": "王工",
            "title": Expert.Title.SENIOR_ENGINEER,
            "organisation": "嘉兴学院",
            "region": Expert.Region.ZHEJIANG,
            "fields": [discipline("460").pk],
            "keywords": "注塑，模具",
            "biography": "从事注塑模具设计二十年。",
        },
    )
    assert response.status_code == 302
    assert the_consent(ExpertApplication.objects.get()).notice == "expert"

    expert = ExpertFactory(user=UserFactory(role="expert"))
    client = login(expert.user)
    page = client.get(reverse("experts:expert_profile")).content.decode()
    assert shows_notice(page, "expert")
    data = {
        "title": expert.title,
        "organisation": "浙江大学",
        "region": expert.region,
        "fields": [discipline("430").pk],
        "keywords": "",
        "biography": "",
        "availability": Expert.Availability.AVAILABLE,
        "is_public": "on",
    }
    for _ in range(2):
        assert client.post(reverse("experts:expert_profile"), data).status_code == 302
    assert the_consent(expert).notice == "expert"


@pytest.mark.parametrize(
    ("url_name", "key", "purpose"),
    [
        ("privacy:start", "data_request", "privacy.request"),
        ("outreach:recover_start", "recover", "outreach.recover"),
    ],
)
def test_asking_for_a_code_records_the_consent_against_the_code(client, url_name, key, purpose):
    response = client.post(reverse(url_name), {"phone": "13912345678"})
    assert response.status_code == 302
    sent = VerificationCode.objects.get(purpose=purpose)
    assert the_consent(sent).notice == key


def test_linking_an_expert_record_records_the_consent_against_the_code(login):
    from experts.services.linking import LINK_PURPOSE

    client = login(UserFactory(role="expert"))
    response = client.post(reverse("experts:expert_link_start"), {"address": "wang@example.cn"})
    assert response.status_code == 302
    sent = VerificationCode.objects.get(purpose=LINK_PURPOSE)
    assert the_consent(sent).notice == "expert_link"


def test_the_feedback_form_says_it_is_anonymous_and_records_the_consent(client):
    with time_machine.travel(NOW, tick=False):
        event = EventFactory(
            starts_at=NOW - datetime.timedelta(hours=5), ends_at=NOW - datetime.timedelta(hours=3)
        )
        RegistrationFactory(event=event, status=Registration.Status.ATTENDED, attended_count=1)
        feedback_sweep()
        invitation = FeedbackInvitation.objects.get()
        url = reverse("outreach:feedback", args=[invitation.token])
        page = client.get(url).content.decode()
        assert shows_notice(page, "feedback")
        assert "不含姓名、手机号码" in page
        overall = survey_for_kind(event.kind).questions.get(topic="overall")
        assert client.post(url, {f"q{overall.pk}": "5"}).status_code == 302
    consent = the_consent(FeedbackResponse.objects.get())
    assert consent.notice == "feedback"
