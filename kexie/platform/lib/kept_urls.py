"""``reverse()`` of a route with one string argument, the route's pattern kept.

Reversing a route walks Django's resolver (a fraction of a millisecond); a
sign-up reverses its private link three times (the redirect, the receipt's
link and the QR code's). ``kept_reverse(name, value)`` reverses ``name`` once
per URLconf and script prefix with a marker for the argument, then puts the
value in place of the marker, quoted as ``reverse`` quotes it (the route's
``str`` converter): the same address ``reverse(name, args=[value])`` gives.
Only for routes whose one argument is a ``str`` (``<str:…>``).
"""

from urllib.parse import quote

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

_MARKER = "kept0url0marker"
# What ``reverse`` leaves unquoted (django.urls.resolvers, _reverse_with_prefix).
_SAFE = RFC3986_SUBDELIMS + "/~:@"

_kept: dict[tuple, tuple[str, str]] = {}


def kept_reverse(name: str, value: str) -> str:
    if not value or "/" in value:
        # What the ``str`` converter does not match.
        raise NoReverseMatch(f"{name} takes no {value!r}")
    key = (name, get_urlconf(), get_script_prefix())
    parts = _kept.get(key)
    if parts is None:
        before, _marker, after = reverse(name, args=[_MARKER]).partition(_MARKER)
        parts = _kept[key] = (before, after)
    return f"{parts[0]}{quote(value, safe=_SAFE)}{parts[1]}"
