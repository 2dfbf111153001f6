"""The messages cookie, its signed value kept per message list, is byte for byte
what Django's own cookie storage sets."""

import pytest
import time_machine
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from kexie.platform.lib.messages_kept import KeptCookieStorage


def _cookie(storage_class, texts) -> str:
    request = RequestFactory().get("/")
    storage = storage_class(request)
    for level, text in texts:
        storage.add(level, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[storage.cookie_name].value


@pytest.fixture(autouse=True)
def _one_second():
    """Both storages sign in the same second (the value holds the time)."""
    with time_machine.travel("2026-12-03 07:59:00 +0000", tick=False):
        yield


SIGNED_UP = [(messages.SUCCESS, "报名成功！请保存下面的报名链接和二维码。")]
WAITLISTED = [(messages.WARNING, "您已进入候补名单（2人）。"), (messages.INFO, "<b>另</b>")]


def test_the_kept_cookie_is_djangos_cookie_each_time():
    for texts in (SIGNED_UP, WAITLISTED, SIGNED_UP, WAITLISTED):
        assert _cookie(KeptCookieStorage, texts) == _cookie(CookieStorage, texts)


def test_another_secret_key_signs_anew():
    kept = _cookie(KeptCookieStorage, SIGNED_UP)
    with override_settings(SECRET_KEY=settings.SECRET_KEY + "-rotated"):
        rotated = _cookie(KeptCookieStorage, SIGNED_UP)
        assert rotated == _cookie(CookieStorage, SIGNED_UP)
    assert rotated != kept


def test_the_kept_cookie_reads_back_as_the_messages():
    value = _cookie(KeptCookieStorage, WAITLISTED)
    request = RequestFactory().get("/")
    request.COOKIES[CookieStorage.cookie_name] = value
    read = [(m.level, m.message) for m in KeptCookieStorage(request)]
    assert read == WAITLISTED


def test_the_site_stores_messages_in_the_kept_storage():
    assert settings.MESSAGE_STORAGE == "kexie.platform.lib.messages_kept.KeptFallbackStorage"


def test_a_value_signed_in_another_second_is_not_reused():
    with time_machine.travel("2026-12-03 08:00:00 +0000", tick=False):
        first = _cookie(KeptCookieStorage, SIGNED_UP)
        assert _cookie(KeptCookieStorage, SIGNED_UP) == first
    with time_machine.travel("2026-12-03 08:00:01 +0000", tick=False):
        later = _cookie(KeptCookieStorage, SIGNED_UP)
        assert later == _cookie(CookieStorage, SIGNED_UP)
    assert later != first
