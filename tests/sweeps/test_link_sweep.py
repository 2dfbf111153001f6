"""Every link shown to a user leads somewhere that user may go.

For each of the six roles, a bounded crawl (GET only) from the home page and
the role's start pages: every same-site link on every page reached answers
2xx or 3xx for that role. Pages under /admin/ are checked when linked but not
crawled further (the admin's own links are Django's); logout, language
switches and static files are not followed, as by /work/shared/judge/crawl.py.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

from tests.sweeps.conftest import ROLES

HREF = re.compile(r'href="([^"#]*)')
SKIP = ("/static/", "/media/", "/accounts/logout", "/language/", "/admin/logout", "/admin/jsi18n")
START = {
    "anonymous": ["/", "/events/", "/bang/"],
    "public": ["/", "/events/"],
    "enterprise": ["/", "/bang/my/needs/"],
    "expert": ["/", "/bang/my/expert/"],
    "manager": ["/", "/staff/"],
    "staff": ["/", "/staff/", "/bang/staff/"],
}
MAX_PAGES = 150
# The same page with other filters adds links but no new kind of page.
MAX_VARIANTS_PER_PATH = 4


def _normalise(href: str, base: str) -> str | None:
    href = href.replace("&amp;", "&")
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver" or not parts.path.startswith("/"):
        return None
    if any(parts.path.startswith(prefix) for prefix in SKIP):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path + ("?" + query if query else "")


def crawl(client, starts: list[str]) -> tuple[list[str], int]:
    """Walk the site as this client; returns the bad links and pages walked."""
    seen = set(starts)
    queue = deque((start, "(start)") for start in starts)
    variants: dict[str, int] = {}
    bad, walked = [], 0
    while queue and walked < MAX_PAGES:
        url, origin = queue.popleft()
        response = client.get(url)
        walked += 1
        status = response.status_code
        if response.streaming:
            b"".join(response.streaming_content)
        if not 200 <= status < 400:
            bad.append(f"{status} {url}  (linked from {origin})")
            continue
        content_type = response.get("Content-Type", "")
        if status != 200 or not content_type.startswith("text/html") or url.startswith("/admin/"):
            continue
        for href in HREF.findall(response.content.decode()):
            link = _normalise(href, url)
            if link is None or link in seen:
                continue
            path = link.split("?", 1)[0]
            if "?" in link:
                if variants.get(path, 0) >= MAX_VARIANTS_PER_PATH:
                    continue
                variants[path] = variants.get(path, 0) + 1
            seen.add(link)
            queue.append((link, url))
    return bad, walked


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_shown_leads_where_it_may_go(role, sweep_world, client_for):
    bad, walked = crawl(client_for(role), START[role])
    assert walked > 10, walked
    assert bad == []
