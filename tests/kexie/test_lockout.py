"""Log-in lockout (django-axes) and the client address it keys on."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_emails

PHONE = "13900002222"


def _attempt(client: Client, password: str, **meta):
    return client.post(reverse("accounts:login"), {"username": PHONE, "password": password}, **meta)


@pytest.fixture
def account(db):
    return UserFactory(phone=PHONE)


def test_five_failures_lock_the_account_out_even_with_the_right_password(client, account):
    for _ in range(5):
        _attempt(client, "wrong-password")
    response = _attempt(client, TEST_PASSWORD)
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()


@pytest.mark.parametrize(("hours", "wait"), [(1, "请 60 分钟后再试"), (2, "请 120 分钟后再试")])
def test_the_lockout_page_says_how_long_the_wait_really_is(client, account, settings, hours, wait):
    settings.AXES_COOLOFF_TIME = hours
    for _ in range(5):
        _attempt(client, "wrong-password")
    page = _attempt(client, TEST_PASSWORD).content.decode()
    assert wait in page
    assert "一小时后" not in page


def test_four_failures_do_not_lock(client, account):
    for _ in range(4):
        _attempt(client, "wrong-password")
    assert _attempt(client, TEST_PASSWORD).status_code == 302


def test_a_spoofed_forwarding_header_does_not_reset_the_lockout(client, account, settings):
    # Behind one proxy: the proxy appends the address it saw (here 203.0.113.7)
    # to whatever the client sent.
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        _attempt(
            client,
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7",
            REMOTE_ADDR="10.0.0.2",
        )
    response = _attempt(
        client,
        TEST_PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429


def test_without_a_trusted_proxy_the_forwarding_header_is_ignored(client, account):
    for attempt in range(5):
        _attempt(client, "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    assert _attempt(client, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def test_the_lockout_is_per_client_address(client, account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        _attempt(client, "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.7")
    other_client = Client()
    response = _attempt(other_client, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


def _reset_password_by_mail(client: Client, email: str, password: str):
    client.post(reverse("accounts:password_reset"), {"email": email})
    [mail] = sent_emails(to=email)
    link = re.search(re.escape(settings.SITE_URL) + r"(\S+)", mail.body).group(1)
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


@pytest.mark.django_db(transaction=True)
def test_a_new_password_from_the_mailed_link_ends_the_lockout_the_page_sent_them_to_fix(client):
    """The lockout page says: try later, or reset the password. Whoever
    resets it through their own mailbox is told they can log in now, and can."""
    UserFactory(phone=PHONE, email="locked@example.cn")
    for _ in range(5):
        _attempt(client, "wrong-password")
    locked = _attempt(client, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "通过找回密码重置" in locked.content.decode()
    done = _reset_password_by_mail(client, "locked@example.cn", "fresh-secret-2026")
    assert done.status_code == 302
    assert "现在可以登录了" in client.get(done["Location"]).content.decode()
    assert _attempt(client, "fresh-secret-2026").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_reset_ends_only_the_lockout_of_that_account(client):
    UserFactory(phone=PHONE, email="locked@example.cn")
    UserFactory(phone="13900003333")
    for identifier in (PHONE, "13900003333"):
        for _ in range(5):
            client.post(
                reverse("accounts:login"), {"username": identifier, "password": "wrong-password"}
            )
    _reset_password_by_mail(client, "locked@example.cn", "fresh-secret-2026")
    other = client.post(
        reverse("accounts:login"), {"username": "13900003333", "password": TEST_PASSWORD}
    )
    assert other.status_code == 429
