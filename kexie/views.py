import logging
import sys

import redis
from django.conf import settings
from django.db import connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from kexie.platform import home_blocks
from kexie.platform.accounts.services import account_language_set
from kexie.platform.lib.back import back_url
from kexie.platform.lib.dbstate import RETRY_AFTER_SECONDS, is_database_unavailable
from kexie.platform.lib.pagecache import public_page

log = logging.getLogger(__name__)


# The blocks show these domains (articles and their pictures, events and
# venues with theirs) and nothing of the visitor; a block that shows another
# app's records adds that app to pagecache.DOMAINS and here.
@public_page("outreach", "experts", "members", "content", "pictures")
def home(request):
    return render(request, "home.html", {"blocks": home_blocks.collect(request)})


@require_safe
@never_cache
def switch_language(request, code):
    """Show the site in ``code`` from now on, then go back to ``next``.

    A plain link rather than Django's ``set_language`` form: a form needs a
    CSRF token, which would make every page differ per visitor and cost each
    cached page a new token. Choosing a language changes how the site is
    shown to this browser and, for a signed-in person, the language of their
    account's messages (a preference, nothing a forged link could harm); the
    links carry ``rel="nofollow"`` so that crawlers leave them alone.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    return _show_in(request, code, request.GET.get("next", ""))


#: URL prefixes a visitor may try, and the language each means.
LANGUAGE_PREFIXES = {"en": "en", "zh-hans": "zh-hans", "zh-cn": "zh-hans", "zh": "zh-hans"}


@require_safe
@never_cache
def language_prefix(request, prefix, rest):
    """``/en/events/`` (or ``/zh-hans/…``): the address many sites use for a
    language, typed or followed by people who expect it, was a 404 here. It
    switches as the language link does and goes on to the page without the
    prefix, query string included."""
    next_url = "/" + rest
    if request.META.get("QUERY_STRING"):
        next_url += "?" + request.META["QUERY_STRING"]
    return _show_in(request, LANGUAGE_PREFIXES[prefix], next_url)


def _show_in(request, code, next_url):
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated:
        account_language_set(user=request.user, language=code)
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page names (the admin names
    none): each asked for it and logged a 404 in the console. Not a permanent
    redirect: the icon's hashed name changes when the icon does."""
    return HttpResponseRedirect(static("img/favicon.svg"))


@require_safe
@never_cache
def healthz(request):
    """Database and Redis state. 200 while the database answers; Redis being
    down is reported but not fatal, since the portal works without it."""
    state = {"database": "ok", "redis": "not configured"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        log.warning("healthz: database unavailable: %s", exc)
        state["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            ).ping()
            state["redis"] = "ok"
        except Exception as exc:
            log.warning("healthz: redis unavailable: %s", exc)
            state["redis"] = "unavailable"
    status = 200 if state["database"] == "ok" else 503
    state["status"] = "ok" if status == 200 else "error"
    response = JsonResponse(state, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request, reason=""):
    """The portal's page for a form whose CSRF check failed (CSRF_FAILURE_VIEW):
    in the visitor's language, saying what happened and how to go on, with a
    way back to the page of the form when it is on this site."""
    return render(request, "403_csrf.html", {"back_url": back_url(request)}, status=403)


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """The 500 page, or the 503 "under maintenance" page when what failed is
    reaching the database (handler500 runs inside the ``except`` of whatever
    layer raised: a view, the session, authentication, the lock-out)."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    # Rendered without the request context: whatever failed may fail again.
    return HttpResponseServerError(loader.get_template("500.html").render())


def database_unavailable(request):
    """503 with ``Retry-After``, rendered without the request context (its
    processors would ask the database again), never cached."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
