from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kexie.platform.lib.back import back_url


def language_of(request) -> str:
    """The language the visitor chose with the switcher, else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = any(chosen == code for code, _name in settings.LANGUAGES)
    return chosen if supported else settings.LANGUAGE_CODE


class CookieLocaleMiddleware:
    """Chinese unless the visitor chose otherwise with the language switcher.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which
    would show English to staff whose computers happen to be set up in English.
    The portal is Chinese first, so only an explicit choice (the cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class MethodNotAllowedPageMiddleware:
    """A 405 with an empty body (Django's ``require_http_methods``) becomes the
    portal's page, in the visitor's language (inside the locale middleware).
    A method no page of the portal answers (PUT, DELETE, PATCH, WebDAV's …) is
    refused here with that page, before the CSRF check would call it an
    expired page."""

    #: What the portal's pages answer to; every view allows some of these.
    PAGE_METHODS = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.PAGE_METHODS:
            context = {"back_url": back_url(request), "unsupported": True}
            page = render(request, "405.html", context, status=405)
            page["Allow"] = ", ".join(self.PAGE_METHODS)
            return page
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method != "HEAD":
            # Opened as a link: a form shown again after an error lives at such
            # an address, and the language switch reopens it with GET.
            page = render(request, "405.html", {"back_url": back_url(request)}, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than any upload may be
    (``UPLOAD_MAX_BYTES`` and room for the form around the file) with 413,
    before the body is read. nginx refuses the same earlier still
    (``client_max_body_size``); this covers a portal reached without it."""

    FORM_ROOM = 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_BYTES + self.FORM_ROOM:
            # The visitor's language is not known yet (no middleware ran).
            limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            page = loader.get_template("413.html").render({"limit_mb": limit_mb})
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
