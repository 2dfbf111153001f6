"""Issue 18, findings 3, 4 and 11: password resets are limited silently; the
lockout counts one spelling of a username; reset links are built from
SITE_URL and their token is not readable by staff in the outbox."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kexie.platform.outbox.models import SECRET_MARK, Notification
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_emails


def _reset(client, email="reset@example.cn", **meta):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **meta)


# --- finding 3


@pytest.mark.django_db
def test_finding_03_password_reset_is_limited_per_mailbox_silently(client, settings):
    settings.LIMIT_PASSWORD_RESET_PER_RECIPIENT = "3/h"
    UserFactory(email="reset@example.cn")
    responses = [_reset(client, REMOTE_ADDR=f"192.0.2.{n}") for n in range(30)]
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("accounts:password_reset_done")}
    assert Notification.objects.filter(recipient="reset@example.cn").count() == 3


@pytest.mark.django_db
def test_finding_03_password_reset_is_limited_per_network_address(client, settings):
    settings.LIMIT_PASSWORD_RESET = "5/h"
    for n in range(10):
        UserFactory(email=f"reset{n}@example.cn")
    for n in range(10):
        assert _reset(client, f"reset{n}@example.cn").status_code == 302
    assert Notification.objects.count() == 5


@pytest.mark.django_db
def test_finding_03_an_unknown_mailbox_spends_the_same_limit(client, settings):
    settings.LIMIT_PASSWORD_RESET_PER_RECIPIENT = "1/h"
    UserFactory(email="reset@example.cn")
    _reset(client, "RESET@example.cn ")
    _reset(client, "reset@example.cn")
    assert Notification.objects.count() == 1


# --- finding 4

PHONE = "13900002222"


@pytest.fixture
def account(db):
    return UserFactory(email="name@example.cn", phone=PHONE)


def _log_in(client, username, password="wrong-password"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_finding_04_spellings_of_one_mailbox_share_one_lockout(client, account):
    for username in (
        "Name@example.cn",
        "name@example.cn",
        " name@example.cn ",
        "name@example.cn\t",
        "NAME@EXAMPLE.CN",
    ):
        _log_in(client, username)
    for username in ("name@example.cn", "Name@example.cn", " name@example.cn\t"):
        response = _log_in(client, username, TEST_PASSWORD)
        assert response.status_code == 429, username


@pytest.mark.django_db
def test_finding_04_spellings_of_one_phone_share_one_lockout(client, account):
    for username in (
        "139 0000 2222",
        "139-0000-2222",
        "+8613900002222",
        "１３９００００２２２２",
        "१३९००००२२२२",
    ):
        _log_in(client, username)
    assert _log_in(client, PHONE, TEST_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_finding_04_each_spelling_still_logs_in(client, account):
    for username in ("Name@example.cn", " name@example.cn\t", "１３９００００２２２２"):
        assert _log_in(client, username, TEST_PASSWORD).status_code == 302
        client.logout()


# --- finding 11


@pytest.mark.django_db(transaction=True)
def test_finding_11_the_reset_link_is_built_from_site_url_not_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    UserFactory(email="reset@example.cn")
    _reset(client, HTTP_HOST="127.0.0.1:6666")
    [email] = sent_emails("reset@example.cn")
    assert "127.0.0.1:6666" not in email.body
    assert re.search(
        re.escape(settings.SITE_URL) + r"/accounts/password/reset/\S+/\S+/", email.body
    )


@pytest.mark.django_db(transaction=True)
def test_finding_11_the_outbox_row_holds_no_reset_token(client):
    UserFactory(email="reset@example.cn")
    _reset(client)
    [email] = sent_emails("reset@example.cn")
    token = re.search(r"/accounts/password/reset/[^/]+/([^/]+)/", email.body).group(1)
    notification = Notification.objects.get(recipient="reset@example.cn")
    assert token not in notification.body and SECRET_MARK in notification.body
    assert notification.secret == ""  # erased once sent


@pytest.mark.django_db(transaction=True)
def test_finding_11_a_pending_secret_is_not_shown_in_the_admin_either(client, monkeypatch):
    from kexie.platform.accounts.models import User
    from kexie.platform.outbox import services

    monkeypatch.setattr(services, "enqueue_delivery", lambda *args, **kwargs: False)  # no worker
    UserFactory(email="reset@example.cn")
    _reset(client)
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.PENDING
    assert len(notification.secret) > 10
    superuser = User.objects.create_superuser(
        email="admin@example.cn", password=TEST_PASSWORD, name="管理员"
    )
    client.force_login(superuser, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
    for url in (
        reverse("admin:outbox_notification_changelist"),
        reverse("admin:outbox_notification_change", args=[notification.pk]),
    ):
        assert notification.secret not in client.get(url).content.decode()
    services.notification_deliver(notification_id=notification.pk)
    [email] = mail.outbox
    link = re.search(re.escape(settings.SITE_URL) + r"(\S+)", email.body).group(1)
    client.logout()
    assert client.get(link, follow=True).status_code == 200
    notification.refresh_from_db()
    assert notification.secret == ""


# --- a stranger's timing (engineer attack11)


@pytest.mark.django_db
def test_a_reset_request_does_the_same_work_for_a_known_and_an_unknown_mailbox(client, monkeypatch):
    # The account was looked up and its mail rendered and written in the
    # request: a known mailbox's answer took 20-40 ms longer than an unknown
    # one's (measured through nginx), which told who has an account. Now the
    # request queues a task with the mailbox typed, whichever it is.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kexie.platform.accounts import tasks

    queued = []
    monkeypatch.setattr(tasks.password_reset_send, "delay", queued.append)
    UserFactory(email="known@example.cn")
    work = {}
    for email in ("known@example.cn", "nobody@example.cn"):
        with CaptureQueriesContext(connection) as queries:
            response = _reset(client, email)
        assert response["Location"] == reverse("accounts:password_reset_done")
        work[email] = [re.sub(r"'[^']*'", "?", query["sql"]) for query in queries]
    assert work["known@example.cn"] == work["nobody@example.cn"]
    assert queued == ["known@example.cn", "nobody@example.cn"]
    assert not Notification.objects.exists()

    # The task mails the account, and nobody else.
    assert [tasks.password_reset_send(email) for email in queued] == [1, 0]
    assert Notification.objects.get().recipient == "known@example.cn"
