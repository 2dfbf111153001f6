"""An expert record staff made (or invited) is linked to the account that
proves its e-mail or mobile number with a one-time code, never by a claim."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from experts.models import Expert
from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from tests.experts.factories import ExpertFactory
from tests.factories import UserFactory
from tests.helpers import register_through_the_form

START = reverse("experts:expert_link_start")
CODE = reverse("experts:expert_link_code")
CONFIRM = reverse("experts:expert_link_confirm")
APPLY = reverse("experts:expert_apply")
DASHBOARD = reverse("experts:expert_dashboard")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def code_sent_to(address: str) -> str:
    # The code stays on its outbox row while the test's transaction is open.
    return Notification.objects.filter(recipient=address).latest("pk").secret


@pytest.fixture
def invited(db, materials):
    """A record staff made from a business card: no account yet."""
    return ExpertFactory(
        name="周教授",
        organisation="浙江大学",
        contact_email="zhou@example.cn",
        contact_phone="139 1234 5678",
        user=None,
        fields=[materials],
    )


@pytest.fixture
def phone_user(db):
    return UserFactory(name="周教授", email=None, phone="13700001111", role=User.Role.EXPERT)


def test_registering_with_the_records_address_and_proving_it_offers_to_link_it(client, invited):
    response = register_through_the_form(
        client, name="周教授", contact="zhou@example.cn", role="expert", follow=True
    )
    assert response.redirect_chain[-1][0] == APPLY
    # Registering alone proves nothing: the address is pending.
    assert "我们找到了您的专家档案" not in response.content.decode()
    verify = reverse("accounts:verify")
    client.post(verify, {"address": "zhou@example.cn", "send_code": "1"})
    code = Notification.objects.filter(recipient="zhou@example.cn").latest("pk").secret
    assert client.post(verify, {"address": "zhou@example.cn", "code": code}).status_code == 302
    page = client.get(APPLY).content.decode()
    assert "我们找到了您的专家档案" in page
    assert "浙江大学" in page
    linked = client.post(CONFIRM, follow=True)
    assert linked.redirect_chain == [(DASHBOARD, 302)]
    assert messages_of(linked) == ["已关联专家档案「周教授」。邀请您对接的需求都在专家工作台。"]
    invited.refresh_from_db()
    assert invited.user.email == "zhou@example.cn"


def test_an_unproven_address_links_nothing(login, invited):
    # An account that says it is zhou@example.cn, without a code in this session.
    claimant = UserFactory(email="zhou@example.cn", phone=None, role=User.Role.EXPERT)
    client = login(claimant)
    assert "我们找到了您的专家档案" not in client.get(APPLY).content.decode()
    response = client.post(CONFIRM, follow=True)
    assert messages_of(response) == ["请先用验证码验证专家档案中的邮箱或手机号。"]
    invited.refresh_from_db()
    assert invited.user is None


def test_proving_the_records_e_mail_with_a_code_links_it(login, phone_user, invited):
    client = login(phone_user)
    assert client.get(START).status_code == 200
    response = client.post(START, {"address": " Zhou@Example.cn "})
    assert response.url == CODE
    page = client.get(CODE).content.decode()
    assert "z***@example.cn" in page
    wrong = client.post(CODE, {"code": "000000"})
    assert wrong.status_code == 400
    assert "验证码不正确，请核对后重新输入。" in wrong.content.decode()
    invited.refresh_from_db()
    assert invited.user is None

    response = client.post(CODE, {"code": code_sent_to("zhou@example.cn")})
    assert response.url == DASHBOARD
    invited.refresh_from_db()
    assert invited.user == phone_user
    assert client.get(DASHBOARD).status_code == 200


def test_a_mobile_number_is_matched_however_it_was_typed(login, invited):
    user = UserFactory(email="other@example.cn", phone=None, role=User.Role.PUBLIC)
    client = login(user)
    client.post(START, {"address": "139-1234-5678"})
    client.post(CODE, {"code": code_sent_to("13912345678")})
    invited.refresh_from_db()
    user.refresh_from_db()
    assert invited.user == user
    # The menu now offers 专家工作台.
    assert user.role == User.Role.EXPERT


def test_an_expired_code_links_nothing(login, phone_user, invited):
    client = login(phone_user)
    client.post(START, {"address": "zhou@example.cn"})
    code = code_sent_to("zhou@example.cn")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(CODE, {"code": code})
    assert "验证码已失效，请重新获取。" in response.content.decode()
    invited.refresh_from_db()
    assert invited.user is None


def test_a_code_allows_a_few_tries_only(login, phone_user, invited, settings):
    client = login(phone_user)
    client.post(START, {"address": "zhou@example.cn"})
    code = code_sent_to("zhou@example.cn")
    for _ in range(settings.VERIFICATION_MAX_ATTEMPTS):
        client.post(CODE, {"code": "000000"})
    response = client.post(CODE, {"code": code})
    assert "验证码错误次数过多，请重新获取。" in response.content.decode()
    invited.refresh_from_db()
    assert invited.user is None


def test_codes_are_limited_per_recipient(login, phone_user, invited, settings):
    settings.LIMIT_CODE_REQUEST_PER_RECIPIENT = "2/h"
    client = login(phone_user)
    for _ in range(2):
        assert client.post(START, {"address": "zhou@example.cn"}).status_code == 302
    refused = client.post(START, {"address": "zhou@example.cn"})
    assert refused.status_code == 429
    assert "获取验证码太频繁了，请稍后再试。" in refused.content.decode()


@pytest.mark.parametrize("address", ["", "zhou@", "12345", "<script>"])
def test_a_bad_address_is_explained_and_no_code_sent(login, phone_user, address):
    response = login(phone_user).post(START, {"address": address})
    assert response.status_code == 400
    assert "请输入有效的11位手机号码或电子邮箱。" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_code_page_needs_an_address_first(login, phone_user):
    assert login(phone_user).get(CODE).url == START


def test_a_proven_address_without_a_record_leads_to_the_application(login, phone_user):
    client = login(phone_user)
    client.post(START, {"address": "nobody@example.cn"})
    response = client.post(CODE, {"code": code_sent_to("nobody@example.cn")}, follow=True)
    assert response.redirect_chain == [(APPLY, 302)]
    assert messages_of(response) == [
        "没有找到使用该邮箱或手机号、尚未关联账户的专家档案。您可以申请加入专家库。"
    ]
    assert not Expert.objects.filter(user=phone_user).exists()


def test_a_record_linked_to_someone_else_is_not_taken(login, phone_user, invited):
    owner = UserFactory()
    Expert.objects.filter(pk=invited.pk).update(user=owner)
    client = login(phone_user)
    client.post(START, {"address": "zhou@example.cn"})
    client.post(CODE, {"code": code_sent_to("zhou@example.cn")})
    invited.refresh_from_db()
    assert invited.user == owner


def test_two_records_for_one_address_are_left_to_staff(login, phone_user, invited, materials):
    ExpertFactory(contact_email="zhou@example.cn", user=None, fields=[materials])
    client = login(phone_user)
    client.post(START, {"address": "zhou@example.cn"})
    response = client.post(CODE, {"code": code_sent_to("zhou@example.cn")}, follow=True)
    assert messages_of(response) == ["该邮箱或手机号对应多份专家档案，请联系科协工作人员为您关联。"]
    assert not Expert.objects.filter(user=phone_user).exists()


def test_an_expert_already_linked_goes_to_the_dashboard(login, expert):
    assert login(expert.user).get(START).url == DASHBOARD


def test_the_code_message_says_nothing_of_the_record(login, phone_user, invited):
    login(phone_user).post(START, {"address": "zhou@example.cn"})
    row = Notification.objects.get(recipient="zhou@example.cn")
    assert "周" not in row.body and "浙江大学" not in row.body
    assert re.fullmatch(r"\d{6}", row.secret)
