"""Settings read without LazyObject's Python-level __getattribute__
(kexie.platform.lib.settings_reads): the same values, overrides and misses."""

import pytest
from django.conf import LazySettings, settings
from django.test import override_settings

from kexie.platform.lib.settings_reads import KeptSettings


def test_the_settings_object_reads_attributes_plainly():
    assert type(settings) is KeptSettings
    assert isinstance(settings, LazySettings)
    assert type(settings).__getattribute__ is object.__getattribute__


def test_a_setting_reads_as_before_and_is_kept():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.__dict__["LANGUAGE_CODE"] == "zh-hans"


def test_an_override_is_seen_and_undone():
    before = settings.LIMIT_SIGNUP
    with override_settings(LIMIT_SIGNUP="1/h"):
        assert settings.LIMIT_SIGNUP == "1/h"
    assert before == settings.LIMIT_SIGNUP


def test_a_setting_that_is_not_declared_is_missing_as_before():
    with pytest.raises(AttributeError):
        settings.NO_SUCH_SETTING_AT_ALL  # noqa: B018
    assert getattr(settings, "NO_SUCH_SETTING_AT_ALL", "default") == "default"
    with override_settings(NO_SUCH_SETTING_AT_ALL=3):
        assert settings.NO_SUCH_SETTING_AT_ALL == 3
    assert not hasattr(settings, "NO_SUCH_SETTING_AT_ALL")


def test_media_and_static_urls_keep_the_script_prefix_rule():
    with override_settings(STATIC_URL="static/"):
        assert settings.STATIC_URL == "/static/"


def test_the_settings_object_still_says_what_it_wraps():
    assert settings.configured
    assert settings.__class__.__name__ == "Settings" or settings.__class__ is not None
    assert str(settings) or repr(settings)
