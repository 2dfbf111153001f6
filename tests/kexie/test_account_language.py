"""An account's messages are written in its language: the one the site was shown
in when the account was opened, then the one its owner switched to while signed
in or chose on the account page. Chinese when nothing says otherwise."""

import pytest
from django.conf import settings
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notify_user
from kexie.platform.verification.services import code_request
from tests.factories import UserFactory
from tests.helpers import sent_emails

pytestmark = pytest.mark.django_db

REGISTER = {
    "name": "Anna",
    "phone": "138 1234 5678",
    "email": "",
    "role": "public",
    "password1": "kexie-pinghu-2026",
    "password2": "kexie-pinghu-2026",
}


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_account_opened_on_the_english_site_is_english(client):
    assert _in_english(client).post(reverse("accounts:register"), REGISTER).status_code == 302
    assert User.objects.get().language == "en"


def test_an_account_opened_on_the_chinese_site_is_chinese(client):
    assert client.post(reverse("accounts:register"), REGISTER).status_code == 302
    assert User.objects.get().language == "zh-hans"


def test_switching_the_sites_language_while_signed_in_changes_the_accounts(login, public_user):
    client = login(public_user)
    assert client.get("/language/en/?next=/").status_code == 302
    public_user.refresh_from_db()
    assert public_user.language == "en"
    client.get("/language/zh-hans/?next=/")
    public_user.refresh_from_db()
    assert public_user.language == "zh-hans"


def test_switching_the_language_signed_out_only_sets_the_cookie(client):
    response = client.get("/language/en/?next=/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_account_page_chooses_the_language_of_the_messages(login, public_user):
    client = login(public_user)
    page = client.get(reverse("privacy:account")).content.decode()
    assert 'name="language"' in page and "短信和电子邮件的语言" in page
    response = client.post(reverse("accounts:language"), {"language": "en"})
    assert response.status_code == 302
    assert response.url == reverse("privacy:account") + "#language"
    public_user.refresh_from_db()
    assert public_user.language == "en"
    # The site itself stays as this browser shows it.
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_account_page_refuses_a_language_the_site_does_not_speak(login, public_user):
    client = login(public_user)
    client.post(reverse("accounts:language"), {"language": "fr"})
    public_user.refresh_from_db()
    assert public_user.language == "zh-hans"


def test_the_account_page_reads_in_english(login, public_user):
    page = _in_english(login(public_user)).get(reverse("privacy:account")).content.decode()
    assert 'value="en" selected' in page or 'value="zh-hans" selected' in page


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Pinghu Association for Science and Technology: test message"),
        ("zh-hans", f"{settings.SITE_NAME}：测试消息"),
        # A language the site no longer speaks.
        ("fr", f"{settings.SITE_NAME}：测试消息"),
    ],
)
def test_a_message_to_a_user_is_in_the_accounts_language_else_chinese(language, subject):
    user = UserFactory(language=language)
    notification = notify_user(user, template="test-message", context={})
    assert notification.subject == subject


def test_a_password_reset_is_mailed_in_the_accounts_language(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="anna@example.cn", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "anna@example.cn"})
    assert user.language == "en"
    [mail] = sent_emails("anna@example.cn")
    assert mail.subject == "Pinghu Association for Science and Technology: reset your password"


def test_a_verification_code_is_sent_in_the_language_of_the_page_that_asked(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.7")
    request.LANGUAGE_CODE = "en"
    code_request(purpose="register", address="13812345678", request=request)
    [notification] = Notification.objects.filter(recipient="13812345678")
    assert notification.body.startswith(
        "[Pinghu Association for Science and Technology] Verification code"
    )
