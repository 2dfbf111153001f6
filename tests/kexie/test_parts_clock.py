"""Parts kept apart from their page (``parts.cached_parts``) of a domain with a
clock: its generation and due moment read in the same round trip as the parts,
and a part rendered afresh once the clock's moment has come."""

from datetime import timedelta
from unittest import mock

import time_machine
from django.core.cache import cache

from kexie.platform.lib import pagecache, parts
from tests.outreach.conftest import NOW


def _part(rendered: list) -> str:
    def render(keys):
        rendered.append(keys)
        return {key: f"<p>第{len(rendered)}次</p>" for key in keys}

    return parts.cached_parts(
        "clock-test", ["a"], stamp=lambda key: [parts.generation("search")], render=render
    )["a"]


def test_a_part_of_a_domain_with_a_clock_is_read_in_one_round_trip(monkeypatch):
    due = NOW + timedelta(hours=1)
    monkeypatch.setitem(pagecache._clocks, "search", lambda: due)
    rendered = []
    with time_machine.travel(NOW, tick=False):
        first = _part(rendered)
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as round_trips:
            assert _part(rendered) == first
        assert round_trips.call_count == 1
    assert len(rendered) == 1
    # The clock's moment has come: the domain is bumped, the part drawn again.
    monkeypatch.setitem(pagecache._clocks, "search", lambda: None)
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert _part(rendered) != first
        assert _part(rendered) == _part(rendered)
    assert len(rendered) == 2
