"""Every limit on a public write, in one place.

A limit counts attempts in the cache (django-ratelimit's counters, so Redis in
production) per network address, as ``kexie.platform.lib.client_ip`` reads it
behind trusted proxies, and, where the write sends a message, per recipient
too (the ``key`` a caller passes: a normalised phone number or mailbox).

Each limit has its settings (django-ratelimit rates such as ``"20/h"``, or
several at once, ``"5/h,10/d"``; empty for no limit) and declares what happens
when the cache cannot be read:

- *fail open* where the write must not be lost: a sign-up goes through while
  Redis is down (the portal works without Redis);
- *fail closed* everywhere else: a lecture request, an account, a password
  reset or a code is refused with "try again later" rather than sent unlimited.

Usage::

    try:
        limits.hit(request, "lecture_request", key=phone)
    except limits.RateLimited as exc:
        form.add_error(None, exc.message)   # re-render the form, status 429

``hit`` counts the attempt and refuses it once over the limit. Where only the
writes that succeed should count (sign-ups: a family that mistypes a phone
number is not held up), ``take`` counts the attempt if every bucket has room
(else refuses it, counting nothing) and the caller gives it back when the write
is not made::

    taken = limits.take(request, "signup", key=[phone, email])   # or RateLimited
    ...
    if not made:
        taken.give_back()

With Redis ``take`` is one round trip (a script reads every bucket and counts
them all, or none), where ``check`` then ``count`` took two; two attempts at
once can no longer both pass the last free count.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_ratelimit import ALL
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)

from kexie.platform.lib import redis_trip
from kexie.platform.lib.client_ip import client_ip

log = logging.getLogger(__name__)

UNAVAILABLE = _("服务暂时繁忙，请稍后再试。")


@dataclass(frozen=True)
class Limit:
    name: str
    # Setting holding the rate per network address.
    address_setting: str
    # Setting holding the rate per ``key`` (recipient), or None.
    key_setting: str | None
    fail_open: bool
    message: Promise


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit(
            "signup",
            "LIMIT_SIGNUP",
            "LIMIT_SIGNUP_PER_RECIPIENT",
            fail_open=True,
            message=_("报名太频繁了，请稍后再试；如需集体报名，请联系主办方。"),
        ),
        Limit(
            "lecture_request",
            "LIMIT_LECTURE_REQUEST",
            "LIMIT_LECTURE_REQUEST_PER_RECIPIENT",
            fail_open=False,
            message=_("点单申请提交太频繁了，请稍后再试；如有急事，请直接联系科协。"),
        ),
        Limit(
            "register",
            "LIMIT_REGISTER",
            None,
            fail_open=False,
            message=_("注册太频繁了，请稍后再试。"),
        ),
        Limit(
            "password_reset",
            "LIMIT_PASSWORD_RESET",
            "LIMIT_PASSWORD_RESET_PER_RECIPIENT",
            fail_open=False,
            message=_("重置密码的请求太频繁了，请稍后再试。"),
        ),
        Limit(
            "code_request",
            "LIMIT_CODE_REQUEST",
            "LIMIT_CODE_REQUEST_PER_RECIPIENT",
            fail_open=False,
            message=_("获取验证码太频繁了，请稍后再试。"),
        ),
        Limit(
            "code_verify",
            "LIMIT_CODE_VERIFY",
            None,
            fail_open=False,
            message=_("验证码尝试太频繁了，请稍后再试。"),
        ),
    )
}


class RateLimited(ValidationError):
    """An attempt over a limit (or refused because the count could not be
    read, for a limit that fails closed). ``message`` is translated."""

    def __init__(self, limit: Limit, *, unavailable: bool = False):
        self.limit = limit
        self.unavailable = unavailable
        super().__init__(UNAVAILABLE if unavailable else limit.message, code="rate_limited")


def _limit(name: str) -> Limit:
    try:
        return LIMITS[name]
    except KeyError:
        raise ImproperlyConfigured(f"No limit named {name!r} in kexie.platform.limits") from None


Key = str | Sequence[str] | None


def _buckets(request, limit: Limit, key: Key) -> list[tuple[str, str, str]]:
    """(group, rate, counted value) for each bucket this attempt falls in: the
    network address, and each recipient in ``key`` (one, or several when one
    write sends to a phone and a mailbox)."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return []
    buckets = []
    for rate in rates(getattr(settings, limit.address_setting)):
        buckets.append((f"limits.{limit.name}", rate, client_ip(request)))
    keys = [key] if isinstance(key, str) else list(key or ())
    key_rates = rates(getattr(settings, limit.key_setting)) if limit.key_setting else []
    for one in keys:
        one = str(one or "").strip().lower()
        if not one:
            continue
        value = hashlib.sha256(one.encode()).hexdigest()
        for rate in key_rates:
            buckets.append((f"limits.{limit.name}.recipient", rate, value))
    return buckets


def rates(setting: str) -> list[str]:
    """The rates of one setting: one (``"5/h"``) or several, comma-separated
    (``"5/h,10/d"``: five an hour and ten a day), each its own bucket."""
    return [rate.strip() for rate in (setting or "").split(",") if rate.strip()]


def _usage(request, group: str, rate: str, value: str, *, increment: bool):
    usage = get_usage(
        request, group=group, key=lambda _group, _request: value, rate=rate, increment=increment
    )
    if usage is None:
        # django-ratelimit (RATELIMIT_FAIL_OPEN) answers None when the cache
        # gave no count back.
        raise ConnectionError("the cache returned no count")
    return usage


def _unavailable(limit: Limit, action: str) -> None:
    log.warning("limits: %s %s, cache unavailable", limit.name, action, exc_info=True)
    if not limit.fail_open:
        raise RateLimited(limit, unavailable=True)


def hit(request, name: str, *, key: Key = None) -> None:
    """Count this attempt; raise ``RateLimited`` when it is over the limit
    per address, or per recipient for each ``key`` given."""
    limit = _limit(name)
    for group, rate, value in _buckets(request, limit, key):
        try:
            usage = _usage(request, group, rate, value, increment=True)
        except Exception:
            _unavailable(limit, "not counted")
            continue
        if usage["count"] > usage["limit"]:
            raise RateLimited(limit)


def _bucket_keys(buckets) -> list[tuple[str, int, int]]:
    """(cache key, limit, seconds) of each bucket, the very keys
    django-ratelimit's ``get_usage`` counts under (so ``hit``, ``check`` and
    ``count`` share their counters)."""
    found = []
    for group, rate, value in buckets:
        limit, period = _split_rate(rate)
        window = _get_window(value, period)
        found.append((_make_cache_key(group, window, rate, value, ALL), limit, period))
    return found


# KEYS: the buckets' keys; ARGV: each bucket's limit, then each one's expiry
# (seconds). Counts every bucket, or none when one is full: returns 0, or the
# number of the first full bucket. Counters are the plain Redis integers
# Django's RedisCache and ``get_usage`` read and count.
_TAKE = """
local n = #KEYS
for i = 1, n do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then return i end
end
for i = 1, n do
  redis.call('SET', KEYS[i], 0, 'EX', ARGV[n + i], 'NX')
  redis.call('INCR', KEYS[i])
end
return 0
"""

# Gives back one count of each bucket that still has one.
_GIVE_BACK = """
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
"""


@dataclass
class Taken:
    """An attempt counted by ``take``: ``give_back()`` when the write was not
    made (at most once; never raises)."""

    name: str
    keys: list

    def give_back(self) -> None:
        keys, self.keys = self.keys, []
        if not keys:
            return
        cache = _cache()
        try:
            if isinstance(cache, RedisCache):
                full = [cache.make_and_validate_key(k) for k, _most, _period in keys]
                cache._cache.get_client(full[0], write=True).eval(_GIVE_BACK, len(full), *full)
                return
            for cache_key, _most, _period in keys:
                if cache.get(cache_key, 0) > 0:
                    cache.decr(cache_key)
        except Exception:
            log.warning("limits: %s not given back, cache unavailable", self.name, exc_info=True)


def take(request, name: str, *, key: Key = None) -> Taken:
    """Count this attempt in every bucket, or raise ``RateLimited`` (counting
    nothing) when one of them is full. A limit that fails open lets the
    attempt through uncounted when the cache is down."""
    limit = _limit(name)
    keys = _bucket_keys(_buckets(request, limit, key))
    if not keys:
        return Taken(name, [])
    cache = _cache()
    try:
        if isinstance(cache, RedisCache):
            full = [cache.make_and_validate_key(k) for k, _most, _period in keys]
            args = [most for _k, most, _p in keys] + [
                period + EXPIRATION_FUDGE for _k, _most, period in keys
            ]
            (full_bucket,) = redis_trip.round_trip(
                cache._cache.get_client(full[0], write=True),
                [("EVAL", _TAKE, len(full), *full, *args)],
            )
            if isinstance(full_bucket, Exception):
                raise full_bucket
        else:
            full_bucket = _take_one_by_one(cache, keys)
    except Exception:
        _unavailable(limit, "not counted")
        return Taken(name, [])
    if full_bucket:
        raise RateLimited(limit)
    return Taken(name, keys)


def _take_one_by_one(cache, keys) -> int:
    """``_TAKE`` for a cache without scripts (tests, development)."""
    counts = cache.get_many([cache_key for cache_key, _most, _period in keys])
    for number, (cache_key, most, _period) in enumerate(keys, start=1):
        if counts.get(cache_key, 0) >= most:
            return number
    for cache_key, _most, period in keys:
        if not cache.add(cache_key, 1, period + EXPIRATION_FUDGE):
            cache.incr(cache_key)
    return 0


def _cache():
    return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
