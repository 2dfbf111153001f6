"""The client's address as seen by the portal, proxy-aware but not spoofable.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it
saw to ``X-Forwarded-For``. Only the entries those proxies appended can be
trusted: anything to their left was written by the client and may be forged.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
