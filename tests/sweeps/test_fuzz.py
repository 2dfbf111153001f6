"""Malformed input on every form and query parameter: no 500, and for visitors
and public users no change in the database.

Field names come from the pages themselves (every ``name="…"`` of every form
on the page), plus the id-like parameters every list reads. Values: huge and
negative ids, 10 kB strings, NUL bytes, invalid UTF-8 and a wrong charset, in
query strings and POST bodies; and a bogus Host header.
"""

import re

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sweeps.test_url_sweep import finish
from tests.sweeps.urltable import app_targets

NAME_RE = re.compile(rb'name="([A-Za-z0-9_\-]+)"')
ALWAYS = ["page", "q", "pk", "id", "year", "month", "next"]
MAIN_APPS = ("members", "outreach", "experts", "outbox", "accounts")
# Pages that legitimately write for a visitor (a valid-looking sign-up, a
# lecture request): only "no 500" is asserted there.
MAY_WRITE = set()

NASTY = st.one_of(
    st.sampled_from(
        [
            "9" * 40,
            "-1",
            "-9223372036854775809",
            "18446744073709551616",
            "0",
            "x" * 10240,
            "字" * 4000,
            "\x00",
            "a\x00b",
            "%00",
            "1e999",
            "NaN",
            "../../etc/passwd",
            "<script>",
            "2026-13-45",
            "",
        ]
    ),
    st.text(max_size=30),
)
RAW = st.sampled_from([b"\xff\xfe", b"%ff%fe%00", b"\xc3\x28", b"\xe5\xad", b"%C0%AF"])


def row_counts() -> dict:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in MAIN_APPS
    }


def field_names(client, url) -> list[str]:
    response = client.get(url)
    finish(response)
    names = set(NAME_RE.findall(getattr(response, "content", b"") or b""))
    return sorted({n.decode() for n in names} | set(ALWAYS) - {"csrfmiddlewaretoken"})


@pytest.mark.parametrize("role", ["anonymous", "public", "enterprise", "expert", "staff"])
def test_malformed_input_never_errors(role, sweep_world, client_for):
    client = client_for(role)
    targets = [t for t in app_targets(sweep_world) if t.key != "accounts:logout"]
    fields = {t.url: field_names(client, t.url) for t in targets}
    check_db = role in ("anonymous", "public")

    @settings(
        max_examples=10,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        target=st.sampled_from(targets),
        values=st.lists(NASTY, min_size=1, max_size=8),
        raw=RAW,
        bogus_host=st.booleans(),
    )
    def run(target, values, raw, bogus_host):
        names = fields[target.url]
        data = {name: values[i % len(values)] for i, name in enumerate(names)}
        extra = {"HTTP_HOST": "evil.example:99999"} if bogus_host else {}
        before = row_counts() if check_db else None
        answers = []
        answers.append(client.get(target.url, data, **extra))
        answers.append(client.post(target.url, data, **extra))
        query = b"&".join(n.encode() + b"=" + raw for n in names)
        answers.append(client.get(target.url, QUERY_STRING=query.decode("latin-1")))
        answers.append(
            client.generic(
                "POST",
                target.url,
                query,
                content_type="application/x-www-form-urlencoded; charset=no-such-charset",
            )
        )
        for response in answers:
            finish(response)
        statuses = [r.status_code for r in answers]
        assert all(s < 500 for s in statuses), (target.key, statuses)
        if check_db and target.key not in MAY_WRITE:
            assert row_counts() == before, target.key

    run()
