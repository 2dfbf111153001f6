"""One-time codes: hashed at rest, expiring, a few tries each, limited per
recipient and per network address, one fixed-text message, and nothing that
tells whether an address is known to the portal."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from kexie.platform import limits
from kexie.platform.outbox.models import SECRET_MARK, Notification
from kexie.platform.verification import services
from kexie.platform.verification.models import VerificationCode
from tests.factories import UserFactory
from tests.helpers import sent_emails, sent_sms

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13900004444"


def _request(address: str = "203.0.113.7"):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.session = SessionStore()
    return request


def _code_sent_to(phone: str = PHONE) -> str:
    text = sent_sms(phone)[-1][1]
    return re.search(r"验证码(\d{6})，", text).group(1)


def _request_code(address: str = PHONE, purpose: str = "signup", **kwargs):
    services.code_request(purpose=purpose, address=address, request=_request(**kwargs))


def test_a_code_goes_out_in_one_fixed_text_message():
    _request_code(" 139-0000-4444 ")
    [(phone, text)] = sent_sms()
    assert phone == PHONE
    code = _code_sent_to()
    assert len(code) == 6
    assert text == (
        f"【平湖市科学技术协会】验证码{code}，10分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。"
    )


def test_a_mailbox_gets_the_code_by_e_mail():
    _request_code("Someone@Example.cn ")
    [email] = sent_emails("someone@example.cn")
    assert "验证码" in email.subject
    row = VerificationCode.objects.get()
    assert row.address == "someone@example.cn"


def test_the_code_is_stored_only_as_a_hash_and_the_outbox_row_keeps_it_hidden():
    _request_code()
    code = _code_sent_to()
    row = VerificationCode.objects.get()
    assert code not in row.code_hash
    notification = Notification.objects.get()
    assert code not in notification.body
    assert SECRET_MARK in notification.body
    assert notification.secret == ""  # erased once sent


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address():
    UserFactory(phone=PHONE)
    _request_code(PHONE)
    _request_code("13900005555")
    first, second = (text for _, text in sent_sms())
    assert first.replace(_code_sent_to(PHONE), "") == second.replace(
        _code_sent_to("13900005555"), ""
    )


def test_a_number_typed_in_another_script_is_the_same_recipient():
    _request_code("１３９００００４４４４")  # full-width
    _request_code("١٣٩٠٠٠٠٤٤٤٤")  # Arabic-Indic
    assert [phone for phone, _ in sent_sms()] == [PHONE, PHONE]
    assert VerificationCode.objects.get().address == PHONE


def test_a_right_code_proves_the_address_once():
    _request_code()
    code = _code_sent_to()
    assert services.code_verify(purpose="signup", address="+86 13900004444", code=code) == PHONE
    with pytest.raises(ValidationError) as again:
        services.code_verify(purpose="signup", address=PHONE, code=code)
    assert again.value.messages == ["验证码已失效，请重新获取。"]


def test_a_code_typed_in_full_width_digits_is_accepted():
    _request_code()
    code = _code_sent_to()
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in code)
    assert services.code_verify(purpose="signup", address=PHONE, code=full_width) == PHONE


def test_a_code_proves_only_its_own_purpose():
    _request_code(purpose="signup")
    with pytest.raises(ValidationError):
        services.code_verify(purpose="lecture", address=PHONE, code=_code_sent_to())


def test_a_wrong_code_is_refused_and_counted():
    _request_code()
    code = _code_sent_to()
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError) as refused:
        services.code_verify(purpose="signup", address=PHONE, code=wrong)
    assert refused.value.messages == ["验证码不正确，请核对后重新输入。"]
    assert VerificationCode.objects.get().attempts == 1


def test_after_the_attempts_even_the_right_code_is_refused(settings):
    settings.VERIFICATION_MAX_ATTEMPTS = 3
    _request_code()
    code = _code_sent_to()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        with pytest.raises(ValidationError):
            services.code_verify(purpose="signup", address=PHONE, code=wrong)
    with pytest.raises(ValidationError) as refused:
        services.code_verify(purpose="signup", address=PHONE, code=code)
    assert refused.value.messages == ["验证码错误次数过多，请重新获取。"]


def test_an_expired_code_is_refused():
    _request_code()
    code = _code_sent_to()
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later), pytest.raises(ValidationError) as refused:
        services.code_verify(purpose="signup", address=PHONE, code=code)
    assert refused.value.messages == ["验证码已失效，请重新获取。"]


def test_a_new_code_replaces_the_old_one():
    _request_code()
    old = _code_sent_to()
    _request_code()
    new = _code_sent_to()
    if old != new:
        with pytest.raises(ValidationError):
            services.code_verify(purpose="signup", address=PHONE, code=old)
    assert services.code_verify(purpose="signup", address=PHONE, code=new) == PHONE


def test_codes_are_limited_per_recipient(settings):
    settings.LIMIT_CODE_REQUEST_PER_RECIPIENT = "2/h"
    services.code_request(purpose="signup", address=PHONE, request=_request("198.51.100.1"))
    services.code_request(purpose="signup", address=PHONE, request=_request("198.51.100.2"))
    with pytest.raises(limits.RateLimited):
        services.code_request(purpose="signup", address=PHONE, request=_request("198.51.100.3"))
    assert len(sent_sms()) == 2


def test_a_stranger_gets_ten_codes_a_day_sent_to_one_phone_not_a_hundred_and_twenty():
    # The shipped rates: five an hour alone let codes from many addresses
    # reach one phone 120 times a day.
    start = timezone.now()
    refused = 0
    for hour in range(6):
        with time_machine.travel(start + timedelta(hours=hour, minutes=1), tick=False):
            for attempt in range(5):
                try:
                    services.code_request(
                        purpose="signup",
                        address=PHONE,
                        request=_request(f"198.51.{hour}.{attempt + 1}"),
                    )
                except limits.RateLimited:
                    refused += 1
    assert (len(sent_sms(PHONE)), refused) == (10, 20)


def test_codes_are_limited_per_network_address(settings):
    settings.LIMIT_CODE_REQUEST = "2/h"
    for phone in ("13900000001", "13900000002"):
        services.code_request(purpose="signup", address=phone, request=_request())
    with pytest.raises(limits.RateLimited):
        services.code_request(purpose="signup", address="13900000003", request=_request())
    assert len(sent_sms()) == 2


@pytest.mark.parametrize("address", ["12345", "not-a-mailbox@", "¹3900004444", "1390000444４x"])
def test_a_bad_address_is_refused_with_a_message_and_nothing_sent(address):
    with pytest.raises(ValidationError) as refused:
        _request_code(address)
    assert refused.value.messages[0] in ("请输入有效的11位手机号码。", "请输入有效的电子邮箱。")
    assert sent_sms() == [] and mail.outbox == []
    assert not VerificationCode.objects.exists()


def test_a_proven_address_is_remembered_in_the_session_for_a_while(settings):
    request = _request()
    services.remember_proven(request, "signup", "139 0000 4444")
    assert services.proven_address(request, "signup") == PHONE
    assert services.proven_address(request, "lecture") is None
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.VERIFICATION_PROVEN_SECONDS + 1)
    ):
        assert services.proven_address(request, "signup") is None
    services.forget_proven(request, "signup")
    assert services.proven_address(request, "signup") is None


def test_old_codes_are_purged():
    _request_code()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert services.verification_purge() == 1
    assert not VerificationCode.objects.exists()
