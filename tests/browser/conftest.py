"""Browser journeys: Playwright driving Debian's Chromium against a live server.

Chromium comes from Debian (``make test`` installs it with a CJK font when it
can); Playwright never downloads a browser. Without Chromium these tests skip.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 costs a quarter of a second per user on a busy machine; the journeys
    # log in through the form, which works the same with any hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _robot_speed_allowed(settings):
    # A script fills a form in well under the minimum time a person needs; the
    # journeys test the people's path, tests/kexie/test_antibot.py the refusal.
    settings.ANTIBOT_MIN_FILL_SECONDS = 0


@pytest.fixture(scope="session")
def _playwright():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls
    # the tests make between browser steps are still synchronous.
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


def _watch_policy(page) -> list[str]:
    """What the Content-Security-Policy refused on the page, as Chromium says it."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = _watch_policy(page)
    yield page
    context.close()
    # Every journey is also a check that the pages satisfy the policy (issue 18).
    assert refused == []


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused = _watch_policy(page)
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def shoot(request):
    """``shoot(page, "step")`` saves build/screenshots/<test>-<step>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, step: str):
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{step}.png", full_page=True)

    return take


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (vendored) on the page; the serious and critical violations."""
    # By URL, as the policy allows scripts from the portal's own files only.
    page.add_script_tag(url="/static/vendor/axe-core-4.14.1/axe.min.js")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
