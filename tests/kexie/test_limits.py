"""Every limit on a public write lives in ``kexie.platform.limits``: counted per
network address and per recipient, failing open (sign-ups) or closed
(everything else) when the cache is down."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import RequestFactory
from django.utils import translation

from kexie.platform import limits


def _request(address: str = "203.0.113.7"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def _small_rates(settings):
    settings.LIMIT_LECTURE_REQUEST = "3/h"
    settings.LIMIT_LECTURE_REQUEST_PER_RECIPIENT = "2/h"
    settings.LIMIT_SIGNUP = "3/h"
    settings.LIMIT_SIGNUP_PER_RECIPIENT = "2/h"


@pytest.fixture
def cache_down(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    for method in ("add", "incr", "get"):
        monkeypatch.setattr(caches["default"], method, broken)


def test_every_limit_has_its_settings():
    from django.conf import settings

    assert {"signup", "lecture_request", "register", "password_reset", "code_request"} <= set(
        limits.LIMITS
    )
    for limit in limits.LIMITS.values():
        assert hasattr(settings, limit.address_setting)
        assert limit.key_setting is None or hasattr(settings, limit.key_setting)


def test_only_sign_ups_fail_open():
    assert [name for name, limit in limits.LIMITS.items() if limit.fail_open] == ["signup"]


def test_hit_counts_and_refuses_past_the_rate_per_address():
    for _ in range(3):
        limits.hit(_request(), "lecture_request")
    with pytest.raises(limits.RateLimited) as refused:
        limits.hit(_request(), "lecture_request")
    assert refused.value.message == "点单申请提交太频繁了，请稍后再试；如有急事，请直接联系科协。"
    limits.hit(_request("198.51.100.2"), "lecture_request")  # another address


def test_a_refusal_is_a_validation_error_with_a_translated_message():
    for _ in range(3):
        limits.hit(_request(), "lecture_request")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        limits.hit(_request(), "lecture_request")
    assert isinstance(refused.value, limits.RateLimited)
    assert refused.value.code == "rate_limited"


def test_the_recipient_is_counted_across_addresses_and_spellings():
    limits.hit(_request("198.51.100.1"), "lecture_request", key="13800001111")
    limits.hit(_request("198.51.100.2"), "lecture_request", key=" 13800001111 ")
    with pytest.raises(limits.RateLimited):
        limits.hit(_request("198.51.100.3"), "lecture_request", key="13800001111")
    limits.hit(_request("198.51.100.3"), "lecture_request", key="13800002222")


def test_take_counts_and_a_given_back_attempt_does_not():
    for _ in range(5):
        limits.take(_request(), "signup").give_back()
    for _ in range(3):
        limits.take(_request(), "signup")
    with pytest.raises(limits.RateLimited):
        limits.take(_request(), "signup")


def test_take_counts_every_bucket_or_none():
    # The phone is full: the address is not counted for the refused attempt.
    limits.take(_request("198.51.100.1"), "signup", key="13800001111")
    limits.take(_request("198.51.100.2"), "signup", key="13800001111")
    for _ in range(3):
        with pytest.raises(limits.RateLimited):
            limits.take(_request(), "signup", key="13800001111")
    for n in range(3):
        limits.take(_request(), "signup", key=f"1380000222{n}")
    with pytest.raises(limits.RateLimited):
        limits.take(_request(), "signup", key="13800003333")


def test_giving_back_twice_gives_back_once():
    taken = limits.take(_request(), "signup")
    limits.take(_request(), "signup")
    taken.give_back()
    taken.give_back()  # one attempt counted now, of three
    limits.take(_request(), "signup")
    limits.take(_request(), "signup")
    with pytest.raises(limits.RateLimited):
        limits.take(_request(), "signup")


def test_an_empty_rate_is_no_limit(settings):
    settings.LIMIT_LECTURE_REQUEST = ""
    settings.LIMIT_LECTURE_REQUEST_PER_RECIPIENT = ""
    for _ in range(10):
        limits.hit(_request(), "lecture_request", key="13800001111")


def test_a_limit_that_fails_closed_refuses_when_the_cache_is_down(cache_down):
    with pytest.raises(limits.RateLimited) as refused:
        limits.hit(_request(), "lecture_request", key="13800001111")
    assert refused.value.unavailable
    assert refused.value.message == "服务暂时繁忙，请稍后再试。"


def test_sign_ups_fail_open_when_the_cache_is_down(cache_down):
    for _ in range(5):
        limits.hit(_request(), "signup", key="13800001111")
        limits.take(_request(), "signup", key="13800001111").give_back()


def test_the_address_is_read_behind_trusted_proxies_only(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        request = RequestFactory().post(
            "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7"
        )
        limits.hit(request, "lecture_request")
    spoofed = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7"
    )
    with pytest.raises(limits.RateLimited):
        limits.hit(spoofed, "lecture_request")


def test_an_unknown_limit_is_a_programming_error():
    with pytest.raises(ImproperlyConfigured):
        limits.hit(_request(), "no-such-limit")


def test_a_write_to_several_recipients_counts_each():
    limits.hit(_request("198.51.100.1"), "lecture_request", key=["13800001111", "a@example.cn"])
    limits.hit(_request("198.51.100.2"), "lecture_request", key=["13800002222", "a@example.cn"])
    with pytest.raises(limits.RateLimited):
        limits.hit(_request("198.51.100.3"), "lecture_request", key=["13800003333", "A@example.cn"])
