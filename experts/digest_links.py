"""The link in each weekly digest that stops it in one step, without logging
in: a signed token naming the expert, valid for a year (a digest read late
must still stop the next one)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "experts.digest-stop"
MAX_AGE = 366 * 24 * 3600


def stop_token(expert) -> str:
    return signing.dumps(expert.pk, salt=SALT, compress=True)


def stop_url(expert) -> str:
    return settings.SITE_URL + reverse("experts:digest_stop", args=[stop_token(expert)])


def expert_id_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
