"""Every URL pattern, requested as each of the six roles: 200, a redirect (to
log in, or where the page legitimately sends one), 403, 404 or 405, never 500.

The table lives in ``tests/sweeps/urltable.py``; a URL added to the URLconf
without a row there fails ``test_every_url_pattern_is_in_the_sweep``.
"""

from urllib.parse import urlsplit

import pytest

from tests.sweeps.conftest import ROLES
from tests.sweeps.urltable import (
    REDIRECTS_ANYWHERE,
    admin_targets,
    app_targets,
    login_urls,
    stale_rows,
    uncovered_patterns,
)

GET_ANSWERS = {200, 302, 403, 404, 405}
# An empty POST is an invalid form: its page comes back with 400 (or 200 with errors).
POST_ANSWERS = GET_ANSWERS | {400}


def finish(response) -> None:
    # Read file downloads to the end so their files close (and PostgreSQL keeps
    # the test's connection).
    if response.streaming:
        b"".join(response.streaming_content)


def check_answer(target, role, method, response, allowed) -> str | None:
    finish(response)
    status = response.status_code
    if status not in allowed:
        return f"{method} {target.url} ({target.key}) as {role}: {status}"
    # A page a visitor may not see sends them to log in; after a POST, a
    # redirect is the answer to the action.
    if status == 302 and method == "GET" and role == "anonymous":
        path = urlsplit(response["Location"]).path
        if target.key not in REDIRECTS_ANYWHERE and path not in login_urls():
            return f"GET {target.url} ({target.key}) as anonymous: 302 to {path}"
    return None


def test_every_url_pattern_is_in_the_sweep():
    missing = [f"{p.key}  ({p.route})" for p in uncovered_patterns()]
    assert missing == [], "URL patterns missing from tests/sweeps/urltable.py: " + ", ".join(
        missing
    )


def test_the_sweep_lists_no_url_that_is_gone():
    assert stale_rows() == set()


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_every_role_without_error(role, sweep_world, client_for):
    client = client_for(role)
    failures = []
    targets = app_targets(sweep_world)
    # Logging out ends the session the other requests use: it goes last.
    targets.sort(key=lambda t: t.key == "accounts:logout")
    for target in targets:
        response = client.get(target.url)
        failures.append(check_answer(target, role, "GET", response, GET_ANSWERS))
    for target in targets:
        response = client.post(target.url, {})
        failures.append(check_answer(target, role, "POST", response, POST_ANSWERS))
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_every_role_without_error(role, sweep_world, client_for):
    client = client_for(role)
    failures = []
    targets = admin_targets(sweep_world)
    targets.sort(key=lambda t: t.key == "admin:logout")
    for target in targets:
        if target.staff_only and role != "staff":
            continue
        response = client.get(target.url)
        failures.append(check_answer(target, role, "GET", response, GET_ANSWERS))
    assert [f for f in failures if f] == []


@pytest.mark.parametrize("role", ["anonymous", "staff"])
def test_a_head_request_answers_as_its_get_does(role, sweep_world, client_for):
    # Link checkers, monitors and link previews ask with HEAD; HTTP requires
    # a server to answer it wherever it answers GET.
    client = client_for(role)
    failures = []
    for target in app_targets(sweep_world):
        if target.key == "accounts:logout":
            continue
        got = client.get(target.url)
        finish(got)
        if got.status_code == 405:
            continue
        head = client.head(target.url)
        finish(head)
        if head.status_code != got.status_code:
            failures.append(f"HEAD {target.url} ({target.key}): {head.status_code}")
    assert failures == []
