"""A public account opened with a phone number only can reset its password:
the reset form takes the account's proven mobile number as well as its
mailbox, and the link goes by SMS (before, the form asked for an e-mail
address only, so a parent who registered with a phone had no way back in)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.factories import UserFactory
from tests.helpers import sent_emails, sent_sms

PHONE = "13812345678"


def _reset(client, address, **meta):
    return client.post(reverse("accounts:password_reset"), {"email": address}, **meta)


@pytest.mark.django_db(transaction=True)
def test_a_phone_only_account_gets_a_reset_link_by_sms_that_sets_a_new_password(client):
    user = UserFactory(phone=PHONE, email=None)
    response = _reset(client, "138 1234 5678")
    assert response["Location"] == reverse("accounts:password_reset_done")

    [(phone, text)] = sent_sms()
    assert phone == PHONE
    assert sent_emails() == []
    link = re.search(re.escape(settings.SITE_URL) + r"(\S+/)", text).group(1)
    assert text.startswith("【平湖市科学技术协会】重置密码请打开")
    assert user.name not in text
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-secret-2026", "new_password2": "fresh-secret-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-secret-2026")


@pytest.mark.django_db(transaction=True)
def test_the_reset_sms_keeps_the_token_out_of_the_stored_body(client):
    UserFactory(phone=PHONE, email=None)
    _reset(client, PHONE)
    notification = Notification.objects.get(recipient=PHONE)
    [(_, text)] = sent_sms()
    token = re.search(r"/accounts/password/reset/[^/]+/([^/]+)/", text).group(1)
    assert token not in notification.body


@pytest.mark.django_db
def test_a_pending_phone_gets_no_reset_link(client):
    # Only whoever proved a number may be sent a way into the account.
    UserFactory(phone=None, pending_phone=PHONE, email="owner@example.cn")
    response = _reset(client, PHONE)
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_an_unknown_phone_sends_nothing_and_looks_the_same(client):
    response = _reset(client, "13900001111")
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_neither_a_phone_nor_a_mailbox_is_refused_in_words(client):
    response = _reset(client, "1380000")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["请输入有效的电子邮箱或11位手机号码。"]


@pytest.mark.django_db
def test_the_reset_by_phone_is_limited_per_number_silently(client, settings):
    settings.LIMIT_PASSWORD_RESET = ""
    settings.LIMIT_PASSWORD_RESET_PER_RECIPIENT = "2/h"
    UserFactory(phone=PHONE, email=None)
    for n in range(4):
        response = _reset(client, PHONE, REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response["Location"] == reverse("accounts:password_reset_done")
    assert Notification.objects.filter(recipient=PHONE).count() == 2


@pytest.mark.django_db
def test_the_reset_page_says_a_phone_number_will_do(client):
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "电子邮箱或手机号码" in page
    assert User.objects.count() == 0
