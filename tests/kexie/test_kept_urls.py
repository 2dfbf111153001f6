"""``kept_reverse`` gives the address ``reverse`` gives (kexie.platform.lib.kept_urls)."""

import secrets

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from kexie.platform.lib.kept_urls import kept_reverse

ROUTES = ["outreach:registration_manage", "outreach:registration_qr"]
VALUES = ["abc", "a-b_c", "a b", "报名码", "a%b", "a?b#c", "x'y", "a+b&c=d", "é~@:"]


@pytest.mark.parametrize("name", ROUTES)
def test_the_address_is_the_one_reverse_gives(name):
    for value in [*VALUES, *(secrets.token_urlsafe(16) for _ in range(50))]:
        assert kept_reverse(name, value) == reverse(name, args=[value])


@pytest.mark.parametrize("value", ["", "a/b"])
def test_what_the_route_cannot_take_is_refused_as_reverse_refuses_it(value):
    with pytest.raises(NoReverseMatch):
        reverse(ROUTES[0], args=[value])
    with pytest.raises(NoReverseMatch):
        kept_reverse(ROUTES[0], value)


def test_the_script_prefix_is_followed():
    try:
        set_script_prefix("/portal/")
        assert kept_reverse(ROUTES[0], "abc") == reverse(ROUTES[0], args=["abc"])
        assert kept_reverse(ROUTES[0], "abc").startswith("/portal/")
    finally:
        set_script_prefix("/")
    assert kept_reverse(ROUTES[0], "abc") == reverse(ROUTES[0], args=["abc"])
