"""Issue 18, finding 14: registration does not say which addresses have an
account, and the password rules read in Chinese on the Chinese page."""

import re

import pytest
from django.urls import reverse

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "张晓明",
    "role": "public",
    "password1": "kexie-pinghu-2026",
    "password2": "kexie-pinghu-2026",
}


def _page(response) -> str:
    """The page without what differs per request anyway (the CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def known():
    return UserFactory(email="known@example.cn", phone="13800007777")


@pytest.mark.parametrize(
    ("known_address", "unknown_address"),
    [
        ({"email": "known@example.cn"}, {"email": "unknown@example.cn"}),
        ({"phone": "13800007777"}, {"phone": "13800008888"}),
    ],
)
def test_finding_14_registering_answers_the_same_for_a_known_address(
    client, known, known_address, unknown_address
):
    answers = []
    for address in (known_address, unknown_address):
        client.logout()
        response = client.post(reverse("accounts:register"), {**FORM, **address}, follow=True)
        page = _page(response)
        for value in address.values():
            page = page.replace(value, "ADDRESS")
        answers.append((response.redirect_chain, response.status_code, page))
    assert answers[0] == answers[1]
    assert "已有账户" not in answers[0][2]
    # Both opened, neither took the known address: it stays its owner's alone.
    assert User.objects.count() == 3
    assert User.objects.filter(email="known@example.cn").get() == known
    assert User.objects.filter(phone="13800007777").get() == known
    assert not Notification.objects.exists()


def _latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{4,}", text)


@pytest.mark.parametrize("password", ["abc", "12345678", "password", "zhangxiaoming-1"])
def test_finding_14_password_rules_are_chinese_on_the_chinese_page(client, password):
    response = client.post(
        reverse("accounts:register"),
        {
            **FORM,
            "name": "zhangxiaoming",
            "email": "zhangxiaoming@example.cn",
            "password1": password,
            "password2": password,
        },
    )
    errors = re.findall(
        r'id="error_\d+_id_password1"[^>]*>(.*?)</', response.content.decode(), re.S
    )
    assert errors
    for error in errors:
        assert _latin_words(re.sub(r"<[^>]+>", "", error)) == [], error


def test_finding_14_password_help_is_chinese_wherever_a_password_is_set(client):
    user = UserFactory()
    client.force_login(user)
    for url in (reverse("accounts:register"), reverse("accounts:password_change")):
        client.logout() if url == reverse("accounts:register") else client.force_login(user)
        body = client.get(url).content.decode()
        assert "密码至少需要8个字符。" in body
        assert "Your password" not in body
