"""关于我们 (/about/) for an anonymous visitor, and the footer on every page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kexie.portal.about.models import Profile
from members.models import Society
from tests.about.conftest import make_profile
from tests.factories import BranchFactory, SocietyFactory

pytestmark = pytest.mark.django_db


def _footer(body: str) -> str:
    return body[body.index("<footer") : body.index("</footer>")]


def test_an_anonymous_visitor_reads_the_introduction_contacts_and_departments(client, profile):
    SocietyFactory.create_batch(3)
    SocietyFactory(status=Society.Status.DISSOLVED)
    BranchFactory.create_batch(2)
    response = client.get(reverse("about:page"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<p>平湖市科协是科技工作者的群众组织。</p>" in body
    assert 'href="tel:057385000000">0573-85000000</a>' in body
    assert 'href="mailto:office@demo.kexie">office@demo.kexie</a>' in body
    assert "314200" in body and "周一至周五 8:30—17:00" in body
    assert "科室0" in body and 'href="tel:057385000001">0573-85000001</a>' in body
    page = response.context["page"]
    # As /orgs/ counts them: societies not dissolved, every branch.
    assert (page.societies, page.branches) == (3, 2)
    assert f'href="{reverse("members:org_list")}?kind=society"' in body
    assert f'href="{reverse("members:org_list")}#branches-heading"' in body


def test_the_page_without_a_profile_says_the_contacts_are_not_published(client):
    response = client.get(reverse("about:page"))
    assert response.status_code == 200
    assert "联系方式尚未公布。" in response.content.decode()


def test_the_page_and_the_footer_read_in_english_with_the_profile_as_entered(profile):
    english = Client()
    english.get(reverse("switch_language", args=["en"]) + "?next=/")
    body = english.get(reverse("about:page")).content.decode()
    assert '<html lang="en">' in body
    with translation.override("en"):
        # (Through the catalogue, so this holds before and after its English is added.)
        assert gettext("关于我们") in body and gettext("联系我们") in body
        address = gettext("地址：%(address)s") % {"address": "平湖市当湖街道演示路1号"}
    assert "平湖市科协是科技工作者的群众组织。" in body
    assert address in _footer(body)


def test_the_footer_shows_the_address_telephone_and_filing_numbers(client, profile):
    footer = _footer(client.get("/events/").content.decode())
    assert "地址：平湖市当湖街道演示路1号" in footer and "邮编：314200" in footer
    assert 'href="tel:057385000000">0573-85000000</a>' in footer
    assert (
        '<a class="text-reset" href="https://beian.miit.gov.cn/" target="_blank" '
        'rel="noopener noreferrer">浙ICP备12345678号-1</a>'
    ) in footer
    assert (
        'href="https://beian.mps.gov.cn/#/query/webSearch?code=33048202000123"' in footer
        and "浙公网安备33048202000123号</a>" in footer
    )
    assert f'href="{reverse("about:page")}"' in footer


def test_the_footer_without_filing_numbers_shows_no_filing_line(client):
    make_profile(icp_number="", psb_number="")
    footer = _footer(client.get("/events/").content.decode())
    assert "0573-85000000" in footer
    assert "beian" not in footer and "ICP" not in footer and "公网安备" not in footer


def test_the_footer_with_only_the_icp_number_links_it_alone(client):
    make_profile(psb_number="")
    footer = _footer(client.get("/").content.decode())
    assert "beian.miit.gov.cn" in footer and "beian.mps.gov.cn" not in footer


def test_the_footer_before_any_profile_shows_the_links_and_nothing_empty(client):
    footer = _footer(client.get("/events/").content.decode())
    assert reverse("about:page") in footer and reverse("privacy:start") in footer
    assert "地址：" not in footer and "电话：" not in footer and "beian" not in footer
    assert 'href="tel:' not in footer and "site-footer-filings" not in footer


def test_the_navigation_offers_the_about_page_and_marks_it(client):
    body = client.get(reverse("about:page")).content.decode()
    header = body[body.index("<header>") : body.index("</header>")]
    assert 'class="nav-link active" href="/about/"' in header


def test_a_change_of_the_profile_shows_on_the_next_page(client, profile, staff_user):
    from kexie.portal.about import services

    assert "0573-85000000" in _footer(client.get("/news/").content.decode())
    profile.telephone = "0573-85111111"
    services.profile_save(profile=profile, by=staff_user)
    footer = _footer(client.get("/news/").content.decode())
    assert "0573-85111111" in footer and "0573-85000000" not in footer
    Profile.objects.all().delete()
    assert "0573-85111111" not in _footer(client.get("/news/").content.decode())


@pytest.mark.parametrize("departments", [2, 30])
def test_the_about_page_costs_a_fixed_number_of_queries(
    client, departments, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_profile(departments=departments)
    SocietyFactory.create_batch(3)
    # the profile, its departments (kept for the next pages), the societies'
    # count, the branches' count
    with django_assert_max_num_queries(4):
        assert client.get(reverse("about:page")).status_code == 200
    # the profile kept: the counts only
    with django_assert_max_num_queries(2):
        assert client.get(reverse("about:page")).status_code == 200


def test_the_footer_costs_no_query_on_other_pages(client, django_assert_num_queries):
    make_profile()
    client.get("/search/")
    with django_assert_num_queries(0):
        body = client.get("/search/").content.decode()
    assert "0573-85000000" in _footer(body)
