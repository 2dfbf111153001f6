import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kexie.platform.lib.env import email_config, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3x!e-production-like-secret-7Qm9vT2rX8pL4nW6zB1cY5dF0gH3jK",
    "ALLOWED_HOSTS": "kexie.example.cn",
    "EMAIL_URL": "smtp://mailer:pw@smtp.example.cn:587?tls=1",
    "REDIS_URL": "redis://redis:6379/0",  # not connected to by the checks
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    """``manage.py`` in a fresh process; a variable given as None is unset."""
    # The deployment's environment, not the test session's: the browser tests
    # set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which the deploy check rejects.
    inherited = {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DATABASE_URL"}
    inherited.add("DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in {**clean, **env}.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch):
    monkeypatch.setenv("FEATURE", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FEATURE must be a boolean"):
        env_bool("FEATURE")


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FEATURE", "Yes")
    assert env_bool("FEATURE") is True
    monkeypatch.setenv("FEATURE", "0")
    assert env_bool("FEATURE", default=True) is False


def test_env_int_refuses_a_value_that_is_not_an_integer(monkeypatch):
    monkeypatch.setenv("SIZE", "ten")
    with pytest.raises(ImproperlyConfigured, match="SIZE must be an integer"):
        env_int("SIZE", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.cn, b.cn ,,")
    assert env_list("HOSTS") == ["a.cn", "b.cn"]


def test_email_url_configures_smtp_with_tls():
    config = email_config("smtp://user%40x.cn:p%2Fw@mail.x.cn:587?tls=1")
    assert config["EMAIL_HOST"] == "mail.x.cn"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "user@x.cn"
    assert config["EMAIL_HOST_PASSWORD"] == "p/w"
    assert config["EMAIL_USE_TLS"] is True


def test_email_url_refuses_an_unknown_scheme():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        email_config("pigeon://coop")


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # The one silenced check: django-ratelimit lists only memcached and
    # django-redis as supported, not Django's own Redis cache (see settings).
    assert "no issues (1 silenced)" in result.stdout


def test_a_site_url_that_is_not_an_http_address_stops_the_start():
    result = _manage("check", env={**PRODUCTION_ENV, "SITE_URL": "127.0.0.1:8001"})
    assert result.returncode != 0
    assert "SITE_URL must be an http:// or https:// address" in result.stderr


def test_in_development_the_host_of_site_url_is_allowed():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ALLOWED_HOSTS, settings.SITE_URL)",
        env={"DEBUG": "1", "SITE_URL": "http://kexie.lan:8001/", "ALLOWED_HOSTS": None},
    )
    assert result.returncode == 0, result.stderr
    assert "'kexie.lan'" in result.stdout
    assert "http://kexie.lan:8001" in result.stdout
    assert "8001/" not in result.stdout


def test_make_run_writes_links_with_the_port_it_serves_on():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "SITE_URL=http://127.0.0.1:8001" in result.stdout
    assert "runserver 127.0.0.1:8001" in result.stdout


def _cookie_flags(**env) -> str:
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)",
        env={**PRODUCTION_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_cookies_are_secure_by_default():
    assert _cookie_flags() == "True True True"


def test_served_without_tls_the_cookies_come_back_over_http():
    # A Secure CSRF cookie never returns over plain HTTP: every form would be
    # refused as forged and nobody could log in.
    assert _cookie_flags(SECURE_SSL_REDIRECT="0") == "False False False"


def test_secure_cookies_can_be_kept_when_a_proxy_redirects_to_https():
    assert _cookie_flags(SECURE_SSL_REDIRECT="0", SECURE_COOKIES="1") == "True True True"
