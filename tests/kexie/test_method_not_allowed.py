"""An address that only takes a form's POST, opened as a link (a form shown
again after an error lives at such an address, and the language switch
reopens it with GET), answers with the portal's page, not an empty 405."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGOUT = "/accounts/logout/"


@pytest.fixture
def member(client):
    client.force_login(UserFactory())
    return client


def test_a_post_only_address_opened_as_a_link_explains_itself_and_leads_back(member):
    response = member.get(LOGOUT, HTTP_REFERER="http://testserver/events/")
    page = response.content.decode()
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "这个地址只接收表单提交" in page
    assert 'href="http://testserver/events/"' in page
    assert f'href="{reverse("home")}"' in page


def test_the_way_back_never_leads_off_the_site(member):
    page = member.get(LOGOUT, HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "evil.example" not in page


def test_the_page_is_in_the_visitors_language(member, settings):
    member.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = member.get(LOGOUT).content.decode()
    assert "这个地址只接收表单提交" not in page
    assert "only takes a form" in page


def test_a_head_request_keeps_the_bare_answer(member):
    response = member.head(LOGOUT)
    assert response.status_code == 405
    assert response.content == b""


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "PROPFIND"])
def test_a_method_no_page_answers_is_refused_as_such_not_as_an_expired_form(method):
    client = Client(enforce_csrf_checks=True)
    response = client.generic(method, reverse("accounts:login"), b"x=1")
    page = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert "不支持这种请求方式" in page
    assert f'href="{reverse("home")}"' in page


def test_a_method_no_page_answers_is_refused_in_the_visitors_language(settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.generic("DELETE", "/").content.decode()
    assert "不支持这种请求方式" not in page
    assert "This kind of request is not supported" in page
