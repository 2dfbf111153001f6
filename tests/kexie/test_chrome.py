"""The site's chrome kept per process (kexie/platform/lib/chrome.py): each
request still gets its own address in the sign-in and language links, its own
name and sign-out token, and the navigation marks the section it is in."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from kexie.platform.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _header(body: str) -> str:
    return body[body.index("<header>") : body.index("</header>")]


def _current(body: str) -> list[str]:
    return re.findall(r'class="nav-link active" href="([^"]+)"', _header(body))


def test_each_page_signs_in_and_switches_language_back_to_its_own_address(client):
    for url in ["/events/?kind=lecture&page=2", "/news/", "/events/?q=<b>讲座</b>"]:
        response = client.get(url)
        body = response.content.decode()
        back = quote(response.wsgi_request.get_full_path(), safe="/")
        assert f'href="{reverse("accounts:login")}?next={back}"' in body
        assert f'href="{reverse("switch_language", args=["en"])}?next={back}"' in body
        assert "\x00" not in body


def test_the_navigation_marks_the_section_of_each_page(client):
    assert _current(client.get("/").content.decode()) == ["/"]
    assert _current(client.get("/events/").content.decode()) == ["/events/"]
    assert _current(client.get("/news/").content.decode()) == ["/news/"]
    assert _current(client.get("/search/?q=x").content.decode()) == ["/search/"]
    assert _current(client.get(reverse("accounts:login")).content.decode()) == []


def test_a_signed_in_visitor_sees_their_own_name_and_signs_out_with_their_own_token(login):
    first = UserFactory(name="<i>张三</i>", role=User.Role.PUBLIC, pending_phone="13800000001")
    second = UserFactory(name="李四", role=User.Role.PUBLIC)
    for user, other in ((first, second), (second, first)):
        client = login(user)
        client.handler.enforce_csrf_checks = True
        header = _header(client.get("/events/").content.decode())
        assert user.name.replace("<", "&lt;").replace(">", "&gt;") in header
        assert other.name not in header
        assert (reverse("accounts:verify") in header) == (user is first)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header).group(1)
        response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


def test_staff_see_the_workbench_and_the_admin_and_the_public_none(staff_client, client):
    staff = _header(staff_client.get("/events/").content.decode())
    assert reverse("workbench:home") in staff and reverse("admin:index") in staff
    public = _header(client.get("/events/").content.decode())
    assert reverse("workbench:home") not in public and reverse("accounts:register") in public


def test_staff_pages_keep_their_own_navigation_with_the_account_links(staff_client):
    body = staff_client.get(reverse("workbench:home")).content.decode()
    header = _header(body)
    assert reverse("reports:dashboard") in header
    assert "工作人员" in header and reverse("accounts:logout") in header
    assert 'href="/events/">' not in header


def test_english_visitors_get_the_english_chrome_and_chinese_ones_the_chinese(db):
    english, chinese = Client(), Client()
    english.get(reverse("switch_language", args=["en"]) + "?next=/")
    assert "Home" in _header(english.get("/events/").content.decode())
    body = chinese.get("/events/").content.decode()
    assert "首页" in _header(body) and "Home" not in _header(body)
    assert "个人信息保护" in body[body.index("<footer") :]


def test_a_kept_heading_follows_its_values_and_the_language(client):
    upcoming = client.get("/events/").content.decode()
    past = client.get("/events/?when=past").content.decode()
    assert 'href="/events/" aria-current="page">即将开始' in upcoming
    assert 'href="/events/?when=past" aria-current="page">往期活动' in past
    assert 'aria-current="page">往期活动' not in upcoming
    assert '<h1 class="h3 mb-0">往期科普活动</h1>' in past
    english = Client()
    english.get(reverse("switch_language", args=["en"]) + "?next=/")
    assert "往期活动" not in english.get("/events/").content.decode()
