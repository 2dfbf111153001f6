"""Addresses typed at registration become the account's own only when a code
sent to them proves it; until then nothing is sent to them."""

import pytest
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERIFY = "accounts:verify"


@pytest.fixture
def newcomer(client):
    user = UserFactory(
        phone=None, email=None, pending_phone="13812345678", pending_email="new@example.cn"
    )
    client.force_login(user)
    return user


def _send_code(client, address: str):
    return client.post(reverse(VERIFY), {"address": address, "send_code": "1"})


def _code() -> str:
    # These tests run in a transaction that never commits: the code is still on its row.
    return Notification.objects.latest("pk").secret


def test_the_page_lists_the_pending_addresses(client, newcomer):
    body = client.get(reverse(VERIFY)).content.decode()
    assert "13812345678" in body and "new@example.cn" in body


def test_proving_a_pending_phone_makes_it_the_accounts_own(client, newcomer):
    assert _send_code(client, "13812345678").status_code == 302
    response = client.post(reverse(VERIFY), {"address": "13812345678", "code": _code()})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.phone, newcomer.pending_phone) == ("13812345678", "")
    assert newcomer.pending_email == "new@example.cn"


def test_a_wrong_code_changes_nothing(client, newcomer):
    _send_code(client, "new@example.cn")
    response = client.post(reverse(VERIFY), {"address": "new@example.cn", "code": "000000"})
    assert response.status_code == 400
    assert "验证码" in response.content.decode()
    newcomer.refresh_from_db()
    assert (newcomer.email, newcomer.pending_email) == (None, "new@example.cn")


def test_an_address_another_account_proved_is_said_taken_only_after_the_code(client, newcomer):
    UserFactory(phone="13812345678")
    _send_code(client, "13812345678")
    response = client.post(reverse(VERIFY), {"address": "13812345678", "code": _code()})
    assert response.status_code == 400
    assert "这个地址已属于另一个账户" in response.content.decode()
    newcomer.refresh_from_db()
    assert (newcomer.phone, newcomer.pending_phone) == (None, "13812345678")


def test_no_code_goes_to_an_address_the_account_did_not_type(client, newcomer):
    response = _send_code(client, "13900009999")
    assert response.status_code == 400
    assert "只能验证本账户待验证的手机号码或电子邮箱。" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_code_message_is_fixed_text(client, newcomer):
    _send_code(client, "new@example.cn")
    notification = Notification.objects.get()
    assert notification.recipient == "new@example.cn"
    assert newcomer.name not in notification.body


def test_a_visitor_must_log_in_first(client):
    response = client.get(reverse(VERIFY))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_users_with_nothing_pending_see_that_all_is_proven(client):
    client.force_login(UserFactory())
    assert "都已验证" in client.get(reverse(VERIFY)).content.decode()


def test_a_user_needs_some_address_proven_or_pending(db):
    from django.core.exceptions import ValidationError

    user = User(name="无地址", role=User.Role.PUBLIC)
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])
    User(name="待验证", pending_phone="13812345678").full_clean(exclude=["password"])
