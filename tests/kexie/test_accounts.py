import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_emails, sent_sms

REGISTER = {
    "name": "张晓明",
    "phone": "138 1234 5678",
    "email": "",
    "role": "enterprise",
    "password1": "kexie-pinghu-2026",
    "password2": "kexie-pinghu-2026",
}


def _register(client, **overrides):
    return client.post(reverse("accounts:register"), {**REGISTER, **overrides})


@pytest.mark.django_db
def test_registration_with_a_phone_number_logs_the_new_user_in_with_the_number_pending(client):
    response = _register(client)
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.name, user.pending_phone, user.phone, user.email, user.role) == (
        "张晓明",
        "13812345678",
        None,
        None,
        User.Role.ENTERPRISE,
    )
    assert get_user(client) == user
    assert not Notification.objects.exists()  # nothing goes to an unproven address


@pytest.mark.django_db
def test_registration_with_a_mailbox_and_a_phone_in_one_post(client):
    assert _register(client, email="Zhang@Example.cn").status_code == 302
    user = User.objects.get()
    assert (user.pending_email, user.pending_phone) == ("zhang@example.cn", "13812345678")


@pytest.mark.django_db
def test_registration_needs_a_phone_or_an_email(client):
    response = _register(client, phone="", email="")
    assert response.status_code == 200
    assert "请至少填写手机号码或电子邮箱之一。" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registration_refuses_a_malformed_phone_number(client):
    response = _register(client, phone="12345")
    assert "请输入有效的11位手机号码。" in response.content.decode() or response.status_code == 200
    assert not User.objects.exists()
    assert sent_sms() == []


@pytest.mark.django_db
def test_registration_with_an_address_that_has_an_account_opens_a_separate_account(client):
    owner = UserFactory(phone="13812345678")
    response = _register(client)
    assert response.status_code == 302
    newcomer = User.objects.exclude(pk=owner.pk).get()
    assert (newcomer.phone, newcomer.pending_phone) == (None, "13812345678")
    owner.refresh_from_db()
    assert owner.phone == "13812345678"


@pytest.mark.django_db
def test_a_pending_address_logs_in_with_its_own_password_only(client):
    owner = UserFactory(phone="13812345678")
    _register(client)
    newcomer = User.objects.exclude(pk=owner.pk).get()
    client.logout()
    login = reverse("accounts:login")
    client.post(login, {"username": "13812345678", "password": TEST_PASSWORD})
    assert get_user(client) == owner
    client.logout()
    client.post(login, {"username": "13812345678", "password": REGISTER["password1"]})
    assert get_user(client) == newcomer


@pytest.mark.django_db
def test_registration_refuses_a_short_or_common_password(client):
    response = _register(client, password1="password", password2="password")
    assert response.status_code == 200
    assert "这个密码太常见了。" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registration_cannot_make_anyone_staff(client):
    _register(client, role="staff", is_staff="on")
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(role=User.Role.STAFF).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", ["13900001111", "139-0000-1111", "Li.Na@Example.CN"])
def test_login_by_phone_or_email(client, identifier):
    user = UserFactory(phone="13900001111", email="li.na@example.cn")
    response = client.post(
        reverse("accounts:login"), {"username": identifier, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert get_user(client) == user


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so_in_chinese(client):
    UserFactory(phone="13900001111")
    response = client.post(
        reverse("accounts:login"), {"username": "13900001111", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "手机号码/电子邮箱或密码不正确。" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not get_user(client).is_authenticated


@pytest.mark.django_db
def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-long-pass-2026",
            "new_password2": "another-long-pass-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-pass-2026")


@pytest.mark.django_db(transaction=True)
def test_password_reset_sends_a_link_through_the_outbox_that_sets_a_new_password(client):
    user = UserFactory(email="reset@example.cn")
    client.post(reverse("accounts:password_reset"), {"email": "RESET@example.cn"})

    notification = Notification.objects.get(recipient="reset@example.cn")
    assert notification.status == Notification.Status.SENT
    [email] = sent_emails(to="reset@example.cn")
    assert "重置密码" in email.subject
    link = re.search(re.escape(settings.SITE_URL) + r"(\S+)", email.body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-secret-2026", "new_password2": "fresh-secret-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-secret-2026")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_user_needs_an_email_or_a_phone(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        User.objects.create_user(email=None, password="x-long-password", name="无联系方式")


@pytest.mark.django_db
def test_registration_without_an_address_also_says_what_is_wrong_with_the_password(client):
    # Both at once (engineer public13's walk): the address's message no longer
    # hides the password's until the next try.
    body = _register(client, phone="", email="", password1="password", password2="password")
    text = body.content.decode()
    assert "请至少填写手机号码或电子邮箱之一。" in text
    assert "这个密码太常见了。" in text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registration_words_a_missing_name_and_a_bad_mailbox_as_the_other_forms_do(client):
    text = _register(client, name="", email="x@").content.decode()
    assert "请填写姓名。" in text
    assert "请输入有效的电子邮箱。" in text


@pytest.mark.django_db
def test_the_welcome_message_links_to_the_page_that_verifies_the_address(client):
    # On a phone "验证手机/邮箱" is in the folded menu: the message leads there itself.
    response = client.post(
        reverse("accounts:register"), {**REGISTER, "name": "<b>张晓明</b>"}, follow=True
    )
    text = response.content.decode()
    assert f'<a class="alert-link" href="{reverse("accounts:verify")}">验证手机/邮箱</a>' in text
    assert "欢迎您，&lt;b&gt;张晓明&lt;/b&gt;！" in text
