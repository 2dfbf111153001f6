"""Every public search box stops typing at a length the server takes: a
search of some 450 Chinese characters made a request line longer than
gunicorn's 4,094 bytes, answered with its bare English "Request Line is too
large" page instead of the portal's."""

import re
from urllib.parse import quote

import pytest

# gunicorn's default --limit-request-line; "GET " and " HTTP/1.1" around it.
REQUEST_LINE_LIMIT = 4094
PAGES = ["/", "/search/", "/events/", "/bang/", "/bang/experts/"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", PAGES)
def test_the_search_box_has_a_maximum_length_the_server_takes(client, url):
    body = client.get(url).content.decode()
    [box] = [tag for tag in re.findall(r"<input[^>]*>", body) if 'name="q"' in tag]
    maximum = int(re.search(r'maxlength="(\d+)"', box).group(1))
    longest = f"GET {url}?q={quote('科' * maximum)}&page=99 HTTP/1.1"
    assert len(longest) < REQUEST_LINE_LIMIT
