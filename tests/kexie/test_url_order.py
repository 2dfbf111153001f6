"""The staff pages' own URL lists come before the apps' lists (kexie/urls.py),
which would otherwise be tried pattern by pattern first: moving them there
changes nothing only while no later pattern could match what they match."""

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_no_later_pattern_is_the_workbench_or_under_the_reports():
    top = get_resolver().url_patterns
    for route in _routes(top[top.index(_top("staff/")) + 1 :]):
        assert route != "staff/"
        assert not route.startswith("staff/reports/")
        assert not route.startswith("<")  # a pattern that could match anything


def _top(route):
    return next(p for p in get_resolver().url_patterns if str(p.pattern) == route)


def test_the_staff_pages_resolve_to_their_views():
    assert resolve(reverse("workbench:home")).view_name == "workbench:home"
    assert resolve(reverse("reports:dashboard")).view_name == "reports:dashboard"
    registrations = reverse("outreach:staff_event_registrations", args=[5])
    assert resolve(registrations).view_name == "outreach:staff_event_registrations"
