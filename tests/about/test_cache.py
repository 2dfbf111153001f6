"""Cached pages show a change of the profile on the next request, in this
process and in any other (whose kept profile is older than the write).

These tests commit for real (``transaction=True``): the page cache is filled
only outside a transaction, and generations are bumped on commit."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kexie.platform.lib import pagecache
from kexie.portal.about import kept, services
from tests.about.conftest import make_profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    pagecache.local_pages.clear()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("url", ["/about/", "/events/", "/news/", "/"])
def test_a_cached_page_shows_the_changed_profile_on_the_next_request(url):
    staff = UserFactory(name="工作人员")
    profile = make_profile(by=staff)
    client = Client()
    _get(client, url)
    assert _get(client, url)["X-Page-Cache"] == "hit"
    # Another process kept the profile as it was before the write.
    elsewhere = kept._kept
    profile.telephone = "0573-85111111"
    profile.icp_number = ""
    services.profile_save(profile=profile, by=staff)
    kept._kept = elsewhere
    response = _get(client, url)
    assert response["X-Page-Cache"] == "miss"
    body = response.content.decode()
    assert "0573-85111111" in body and "浙ICP备12345678号-1" not in body
    assert _get(client, url)["X-Page-Cache"] == "hit"


def test_a_hit_reads_no_query_and_a_miss_reads_the_profile_once():
    make_profile()
    client = Client()
    _get(client, "/events/")
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, "/events/")["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    # A page the cache does not keep is rendered: the kept profile, no query for it.
    with CaptureQueriesContext(connection) as queries:
        _get(client, "/privacy/")
    assert not [q for q in queries if "about_" in q["sql"]]


def test_every_public_page_is_keyed_by_the_profile_too():
    @pagecache.public_page("outreach", "members")
    def view(request):
        return None

    assert view.page_cache_domains == ("outreach", "members", "about")
