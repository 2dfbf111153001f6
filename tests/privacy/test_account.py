"""A signed-in person sees, downloads and closes their own account (注销):
closing keeps the counts and removes the person, from the account, its
sign-ups, an expert profile and an enterprise's contact, history included."""

import json

import pytest
from django.urls import reverse

from experts.models import Enterprise, Expert
from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import SECRET_MARK, Notification
from kexie.platform.privacy.models import ErasureLog
from outreach.models import Registration
from tests.experts.factories import ExpertFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ACCOUNT = "/privacy/account/"
EXPORT = "/privacy/account/export.json"
PHONE = "13912345678"


def test_the_urls_are_where_the_pages_link():
    assert reverse("privacy:account") == ACCOUNT
    assert reverse("privacy:account_export") == EXPORT


@pytest.fixture
def person(db):
    return UserFactory(name="王小明", phone=PHONE, email="wang@example.cn", role="expert")


@pytest.fixture
def held(person):
    """What the portal holds: a sign-up under the account's number, one made
    while signed in with another number, an expert profile, an enterprise."""
    finished = EventFactory(title="去年的科学秀", status="finished")
    return {
        "by_phone": RegistrationFactory(event=finished, phone=PHONE, name="王小明"),
        "by_account": RegistrationFactory(
            event=finished, phone="13800002222", name="王小明", user=person
        ),
        "someone_else": RegistrationFactory(event=finished, phone="13700003333", name="李四"),
        "expert": ExpertFactory(
            name="王小明", user=person, contact_phone=PHONE, biography="研究锂电池二十年。"
        ),
    }


def test_logged_out_visitors_are_sent_to_log_in(client):
    assert client.get(ACCOUNT)["Location"].startswith(reverse("accounts:login"))
    assert client.get(EXPORT)["Location"].startswith(reverse("accounts:login"))


def test_a_person_sees_and_downloads_what_is_held_about_their_account(login, person, held):
    client = login(person)
    page = client.get(ACCOUNT).content.decode()
    assert "wang@example.cn" in page
    assert "去年的科学秀" in page
    assert "13800002222" in page  # the sign-up made with another number, while signed in
    assert "研究锂电池二十年。" in page
    assert "李四" not in page
    response = client.get(EXPORT)
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    exported = json.dumps(json.loads(response.content), ensure_ascii=False)
    assert "研究锂电池二十年。" in exported and "13800002222" in exported
    assert "李四" not in exported


def test_the_records_read_as_english_in_english(login, person, held):
    """Label and value are joined by the language's own punctuation, not a
    Chinese full-width colon after an English label."""
    client = login(person)
    client.get(reverse("switch_language", args=["en"]) + "?next=/")
    page = client.get(ACCOUNT).content.decode()
    assert "wang@example.cn" in page
    assert "：" not in page and "；" not in page
    chinese = login(person).get(ACCOUNT).content.decode()
    assert "：" in chinese


def test_a_wrong_password_closes_nothing(login, person, held):
    response = login(person).post(ACCOUNT, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "密码不正确。" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active and person.name == "王小明"


def test_closing_keeps_the_counts_and_removes_the_person(login, person, held):
    enterprise = Enterprise.objects.create(
        name="平湖小明科技有限公司",
        credit_code="91330482MA2B3C4D5E",
        industry="materials",
        contact_name="王小明",
        contact_phone=PHONE,
    )
    enterprise.users.add(person)
    registrations_before = Registration.objects.count()
    client = login(person)
    response = client.post(ACCOUNT, {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()
    assert (person.name, person.phone, person.email) == ("（已注销）", None, None)
    assert not User.history.filter(id=person.pk, name="王小明").exists()
    assert not User.history.filter(id=person.pk, phone=PHONE).exists()
    # Counts kept, the person gone from every sign-up.
    assert Registration.objects.count() == registrations_before
    for key in ("by_phone", "by_account"):
        registration = Registration.objects.get(pk=held[key].pk)
        assert registration.name != "王小明" and registration.user is None
        assert registration.anonymised_at is not None
    assert Registration.objects.get(pk=held["someone_else"].pk).name == "李四"
    expert = Expert.objects.get(pk=held["expert"].pk)
    assert (expert.name, expert.contact_phone, expert.biography) == ("（已注销）", "", "")
    assert not expert.is_public and not expert.is_active and expert.user is None
    assert not expert.history.filter(name="王小明").exists()
    enterprise.refresh_from_db()
    assert (enterprise.contact_name, enterprise.contact_phone) == ("", "")
    assert enterprise.name == "平湖小明科技有限公司"
    (log,) = ErasureLog.objects.all()
    assert log.kind == "account" and log.records >= 4
    assert "账户" in log.detail and "王小明" not in log.detail and PHONE not in log.detail
    # Logged out, and the old password no longer works.
    assert client.get(ACCOUNT).status_code == 302
    again = client.post(
        reverse("accounts:login"), {"username": "wang@example.cn", "password": TEST_PASSWORD}
    )
    assert again.status_code == 200 and "_auth_user_id" not in client.session


def test_closing_asks_for_the_confirmation(login, person):
    response = login(person).post(ACCOUNT, {"password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "请勾选确认后再注销。" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active


def test_staff_accounts_are_closed_through_the_association(login, staff_user):
    client = login(staff_user)
    page = client.get(ACCOUNT).content.decode()
    assert "请联系科协办公室注销" in page
    client.post(ACCOUNT, {"password": TEST_PASSWORD, "confirm": "on"})
    staff_user.refresh_from_db()
    assert staff_user.is_active


@pytest.fixture
def claimant(db):
    """An account that typed someone else's number and mailbox at registration
    and never proved them (both are pending)."""
    return UserFactory(
        name="冒名者", phone=None, email=None, pending_phone=PHONE, pending_email="wang@example.cn"
    )


@pytest.fixture
def messages_to_the_owner(db):
    """What the portal sent to the number's and the mailbox's real owner."""
    from kexie.platform.outbox.models import Notification

    return [
        Notification.objects.create(
            channel=Notification.Channel.SMS,
            recipient=PHONE,
            body="报名成功：入场二维码及取消：https://kexie.example.cn/events/r/secret-link/",
        ),
        Notification.objects.create(
            channel=Notification.Channel.EMAIL,
            recipient="wang@example.cn",
            subject="报名成功",
            body="您的报名链接：https://kexie.example.cn/events/r/other-secret/",
        ),
    ]


def test_an_unproven_address_shows_none_of_its_owners_messages(
    login, claimant, messages_to_the_owner
):
    client = login(claimant)
    page = client.get(ACCOUNT).content.decode()
    assert "13912345678" in page  # listed as waiting for proof
    assert "secret-link" not in page and "other-secret" not in page
    exported = client.get(EXPORT).content.decode()
    assert "secret-link" not in exported and "other-secret" not in exported


def test_closing_an_account_leaves_the_messages_of_its_unproven_addresses(
    login, claimant, messages_to_the_owner
):
    from kexie.platform.outbox.models import Notification

    response = login(claimant).post(
        ACCOUNT, {"password": TEST_PASSWORD, "confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    claimant.refresh_from_db()
    assert not claimant.is_active
    assert Notification.objects.filter(pk__in=[m.pk for m in messages_to_the_owner]).count() == 2


def test_a_code_sent_to_the_person_shows_masked_not_as_an_english_placeholder(login, person):
    # How the outbox stores a one-time code: its place in the body is marked,
    # the code itself kept apart and erased once sent.
    Notification.objects.create(
        channel=Notification.Channel.SMS,
        recipient=PHONE,
        body=f"【平湖市科学技术协会】验证码{SECRET_MARK}，10分钟内有效。",
        secret="",
        status=Notification.Status.SENT,
    )
    client = login(person)

    page = client.get(ACCOUNT).content.decode()
    exported = client.get(EXPORT).content.decode("utf-8")

    for shown in (page, exported):
        assert "验证码******，10分钟内有效。" in shown
        assert SECRET_MARK not in shown


def test_an_empty_value_reads_as_a_dash_not_as_nothing_before_the_next_label(login):
    # A new account's proven phone and mailbox are empty until a code proves
    # them: "手机号码：；" read as a fault (engineer public13's walk).
    newcomer = UserFactory(name="王小明", phone=None, email=None, pending_email="w@example.cn")
    page = login(newcomer).get(ACCOUNT).content.decode()
    assert "：；" not in page
    assert "：—；" in page
    assert "w@example.cn" in page
