"""Every page's title ends with the site's name, once, in the reader's language:
a tab, a bookmark or a search result says whose page it is."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.outreach.factories import EventFactory

pytestmark = pytest.mark.django_db

NAME = "平湖市科学技术协会"


def _title(response) -> str:
    body = response.content.decode()
    return body[body.index("<title>") + 7 : body.index("</title>")]


def test_a_page_whose_title_left_out_the_site_name_gets_it(client):
    event = EventFactory()
    page = client.get(reverse("experts:achievement_list"))
    assert page.status_code == 200
    assert _title(page).endswith(f" · {NAME}")
    assert _title(client.get(event.get_absolute_url())).count(NAME) == 1


def test_a_page_without_a_title_of_its_own_is_titled_with_the_site_name(rf):
    rendered = Template('{% extends "base.html" %}').render(Context({"request": rf.get("/")}))
    assert f"<title>{NAME}</title>" in rendered


def test_the_site_name_follows_the_readers_language(client):
    with translation.override("en"):
        title = str(Template("{% load chrome %}{{ '专家库'|with_site_name }}").render(Context()))
    assert title.startswith("专家库 · ") and NAME not in title


def test_a_title_is_escaped_once():
    rendered = Template("{% load chrome %}{{ title|with_site_name }}").render(
        Context({"title": "<b>A&B</b>"})
    )
    assert rendered == f"&lt;b&gt;A&amp;B&lt;/b&gt; · {NAME}"
