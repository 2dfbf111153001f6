"""Issue 18, finding 15: no Content-Security-Policy or Permissions-Policy, a
language cookie without Secure and SameSite, Django's own CSRF failure page,
and uploads refused only after the whole body arrived. (Polyglot uploads:
``test_uploads.py``.)
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<[a-z][^<>]*\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I), "on… handler"),
    (re.compile(r"javascript:", re.I), "javascript: link"),
]


def _templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("kexie/**/templates")]:
        yield from folder.rglob("*.html")


def test_no_template_has_an_inline_script_style_or_handler():
    found = []
    for template in _templates():
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/events/", "/accounts/login/", "/admin/login/"])
def test_pages_send_a_content_security_policy_that_allows_only_own_scripts_and_styles(path):
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def _through_middleware(request, response):
    from kexie.platform.lib.csp_kept import KeptPolicyCSPMiddleware

    middleware = KeptPolicyCSPMiddleware(lambda request: response)
    middleware.process_request(request)
    return middleware.process_response(request, response)


def test_the_kept_policy_is_the_one_django_csp_builds_and_follows_the_settings(settings):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse, HttpResponseRedirect
    from django.test import RequestFactory

    def built(response):
        request = RequestFactory().post("/events/1/")
        middleware = CSPMiddleware(lambda request: response)
        middleware.process_request(request)
        return middleware.process_response(request, response)["Content-Security-Policy"]

    request = RequestFactory().post("/events/1/")
    kept = _through_middleware(request, HttpResponseRedirect("/r/x/"))
    assert kept["Content-Security-Policy"] == built(HttpResponse())
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    again = _through_middleware(RequestFactory().get("/"), HttpResponse())
    assert again["Content-Security-Policy"] == "default-src 'none'" == built(HttpResponse())


def test_a_response_that_changes_the_policy_or_is_exempt_is_left_to_django_csp():
    from django.http import HttpResponse
    from django.test import RequestFactory

    updated = HttpResponse()
    updated._csp_update = {"img-src": ["https://example.cn"]}
    policy = _through_middleware(RequestFactory().get("/"), updated)["Content-Security-Policy"]
    assert "https://example.cn" in policy and "script-src 'self'" in policy
    exempt = HttpResponse()
    exempt._csp_exempt = True
    assert "Content-Security-Policy" not in _through_middleware(RequestFactory().get("/"), exempt)


@pytest.mark.django_db(transaction=True)
def test_a_page_served_from_the_cache_carries_the_policies_too():
    client = Client()
    client.get("/events/")
    hit = client.get("/events/")
    assert hit["X-Page-Cache"] == "hit"
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert "camera=(self)" in hit["Permissions-Policy"]


@pytest.mark.django_db
def test_permissions_policy_allows_the_camera_to_the_portal_only_and_nothing_else():
    policy = Client().get("/")["Permissions-Policy"]
    assert "camera=(self)" in policy
    for feature in ("microphone=()", "geolocation=()", "payment=()", "browsing-topics=()"):
        assert feature in policy


@pytest.mark.django_db
def test_language_cookie_is_secure_http_only_and_same_site_lax():
    response = Client().get(reverse("switch_language", args=["en"]), {"next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_session_and_csrf_cookies_are_secure_and_same_site_lax():
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_the_portals_calm_page():
    client = Client(enforce_csrf_checks=True)
    login = reverse("accounts:login")
    response = client.post(
        login, {"username": "a@b.cn", "password": "x"}, HTTP_REFERER=f"http://testserver{login}"
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期，请重新提交" in body
    assert "没有保存任何内容" in body
    assert f'href="http://testserver{login}"' in body
    assert "CSRF" not in body  # none of Django's technical wording


@pytest.mark.django_db
def test_csrf_page_never_links_back_to_another_site():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {}, HTTP_REFERER="https://evil.example/x")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
def test_csrf_page_is_in_english_for_an_english_visitor():
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {})
    assert '<html lang="en"' in response.content.decode()


def test_a_request_body_larger_than_any_upload_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    declared = str(settings.UPLOAD_MAX_BYTES + 2 * 1024 * 1024)
    response = Client().generic(
        "POST", "/accounts/login/", b"x" * 10, "application/octet-stream", CONTENT_LENGTH=declared
    )
    assert response.status_code == 413
    assert "文件太大" in response.content.decode()
    assert "1 MB" in response.content.decode()


@pytest.mark.django_db
def test_a_request_within_the_upload_limit_goes_through():
    response = Client().post("/accounts/login/", {"username": "a@b.cn", "password": "x"})
    assert response.status_code != 413
