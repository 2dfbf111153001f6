"""Signed-in pages of 科协帮 keep their main part in the cache
(``kexie/platform/lib/partcache.py``): the board and the dashboards run no
query of theirs on a second visit, show a change at once, never show one
role's or one user's part to another, and their forms carry the visitor's own
CSRF token.

These tests commit for real (``transaction=True``): parts are kept only
outside a transaction, and the page cache's generations are bumped on commit.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experts.models import TechNeed
from tests.experts.factories import EnterpriseFactory, NeedFactory

pytestmark = pytest.mark.django_db(transaction=True)

BOARD = "/bang/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_signed_in_runs_no_query_of_its_own_the_second_time(login, expert_user):
    NeedFactory(title="电池热管理求助", status=TechNeed.Status.PUBLISHED)
    client = login(expert_user)
    _body(client, BOARD)
    with CaptureQueriesContext(connection) as queries:
        body = _body(client, BOARD)
    assert len(queries) == 1  # the session with its user
    assert "电池热管理求助" in body
    NeedFactory(title="刚发布的需求", status=TechNeed.Status.PUBLISHED)
    assert "刚发布的需求" in _body(client, BOARD)


def test_the_board_kept_for_one_role_is_not_shown_to_another(login, expert_user, enterprise_user):
    create = reverse("experts:need_create")
    assert create not in _body(login(expert_user), BOARD)
    assert create in _body(login(enterprise_user), BOARD)
    assert create not in _body(login(expert_user), BOARD)
    filtered = _body(login(expert_user), BOARD + "?q=电池")
    assert 'value="电池"' in filtered


def test_an_enterprise_sees_its_own_needs_and_a_new_one_at_once(
    login, enterprise_user, other_enterprise_user
):
    enterprise = EnterpriseFactory(users=[enterprise_user])
    EnterpriseFactory(users=[other_enterprise_user])
    NeedFactory(enterprise=enterprise, title="我们的第一个需求")
    url = reverse("experts:my_needs")
    assert "我们的第一个需求" in _body(login(enterprise_user), url)
    assert "我们的第一个需求" not in _body(login(other_enterprise_user), url)
    NeedFactory(enterprise=enterprise, title="我们的第二个需求")
    assert "我们的第二个需求" in _body(login(enterprise_user), url)


def _strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
    return client


def test_a_kept_dashboard_carries_the_visitors_own_csrf_token(expert, expert_user):
    url = reverse("experts:expert_dashboard")
    # Kept from the user's visit on another device, whose CSRF secret differs.
    _body(_strict_client(expert_user), url)
    client = _strict_client(expert_user)
    client.get("/bang/")  # this device's own CSRF cookie
    with CaptureQueriesContext(connection) as queries:
        body = _body(client, url)
    assert len(queries) == 2  # the session with its user, the expert
    digest = reverse("experts:expert_digest")
    # The digest form's own token, in the kept part (not the menu's log-out form).
    token = TOKEN.search(body, body.index(f'action="{digest}"')).group(1)
    response = client.post(digest, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.weekly_digest is False


def test_a_query_string_with_junk_is_rendered_but_never_kept(login, expert_user):
    NeedFactory(title="电池热管理求助", status=TechNeed.Status.PUBLISHED)
    # Junk in the query string reaches the pager's links: the part is not kept.
    _body(login(expert_user), BOARD + "?q=电池&utm=广告")
    with CaptureQueriesContext(connection) as queries:
        body = _body(login(expert_user), BOARD + "?q=电池&utm=广告")
    assert len(queries) > 3
    assert "电池热管理求助" in body
    assert "广告" not in _body(login(expert_user), BOARD + "?q=电池")
