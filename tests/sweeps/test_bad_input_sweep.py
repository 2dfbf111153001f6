"""Issue 18, finding 9: out-of-range and non-ASCII values in query strings,
forms and URLs were 500s (``?date_to=9999-12-31``, a superscript digit at the
check-in desk). Every URL of the sweep table is requested with such values in
every parameter a page reads, and every URL with an integer in its path with
an integer no database column holds: a clear answer, never a 500.
"""

import re

import pytest
from django.urls import reverse

from tests.sweeps.conftest import ROLES
from tests.sweeps.urltable import URLS, app_targets, url_patterns

# Parameters the pages read (filters, pagination, periods), each given values
# that parse in Python but overflow a date, an integer or a database column,
# or digits of other scripts.
JUNK = {
    "date_from": "0001-01-01",
    "date_to": "9999-12-31",
    "month": "9999-12",
    "year": "99999999999999999999",
    "from": "0",
    "to": "²⁰²⁵",
    "page": "99999999999999999999999",
    "sp": "-1",
    "bp": "١٢",
    "town": "99999999999999999999",
    "audience": "²",
    "campaign": "١",
    "venue": "99999999999999999999",
    "kind": "\x00",
    "status": "x" * 300,
    "org": "99999999999999999999",
    "q": "²³⁴⁵\x00",
    "when": "past",
    "registration": "²",
    "count": "²",
}
HUGE = str(2**70)


@pytest.mark.parametrize("role", ["anonymous", "staff", "manager"])
def test_junk_query_values_never_make_a_500(role, sweep_world, client_for):
    client = client_for(role)
    client.raise_request_exception = False
    failures = []
    for target in app_targets(sweep_world):
        if target.key == "accounts:logout":
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(target.url, JUNK)
            if response.streaming:
                b"".join(response.streaming_content)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {target.url} ({target.key}): 500")
    assert failures == []


def _int_targets(world) -> list[str]:
    """Each URL with an integer in its path, that integer made too big."""
    urls = []
    for pattern in url_patterns():
        if pattern.key not in URLS or "<int:" not in pattern.route:
            continue
        kwargs = URLS[pattern.key](world)
        names = re.findall(r"<int:(\w+)>", pattern.route)
        url = reverse(pattern.key, kwargs={**kwargs, **{name: HUGE for name in names}})
        urls.append(url)
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_integers_too_big_for_the_database_in_urls_are_404(role, sweep_world, client_for):
    client = client_for(role)
    client.raise_request_exception = False
    failures = []
    for url in _int_targets(sweep_world):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert failures == []
