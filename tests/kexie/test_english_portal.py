"""What the portal itself writes reads in English on the English site: the names
it ships with (its own name, the key groups, the columns, the disciplines of the
societies), the brackets it puts around data, and a list's heading in the plural.
Data staff typed stays as written; the Chinese pages do not change."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kexie.platform.lib.site import site_name
from kexie.portal.content.models import Column
from outreach.forms import LectureRequestForm
from outreach.models import Audience
from tests.factories import SocietyFactory
from tests.outreach.factories import AudienceFactory, EventFactory, VenueFactory

pytestmark = pytest.mark.django_db

ENGLISH_NAME = "Pinghu Association for Science and Technology"


@pytest.fixture(autouse=True)
def _shipped_site_name(settings):
    settings.SITE_NAME = "平湖市科学技术协会"


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_header_and_footer_name_the_association_in_the_readers_language(client):
    english = _in_english(client).get("/").content.decode()
    assert ENGLISH_NAME in english
    assert "平湖市科学技术协会" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get("/").content.decode()
    assert "平湖市科学技术协会" in chinese
    assert ENGLISH_NAME not in chinese


def test_a_site_name_a_deployment_sets_reads_as_written(settings):
    settings.SITE_NAME = "嘉善县科学技术协会"
    with translation.override("en"):
        assert site_name() == "嘉善县科学技术协会"


def test_the_admin_is_titled_in_the_readers_language(staff_client):
    body = _in_english(staff_client).get(reverse("admin:index")).content.decode()
    assert f"| {ENGLISH_NAME}</title>" in body


def test_a_key_group_shipped_with_the_portal_is_offered_in_english():
    AudienceFactory(code=Audience.Code.FARMERS)
    with translation.override("en"):
        form = LectureRequestForm(team=None)
        labels = [label for _value, label in form.fields["audience"].choices]
    assert "Farmers" in labels
    assert "农民" not in labels


def test_a_key_group_staff_renamed_reads_as_they_wrote_it():
    audience = AudienceFactory(code=Audience.Code.FARMERS)
    audience.name = "种植户"
    with translation.override("en"):
        assert str(audience) == "种植户"


def test_a_shipped_column_is_named_in_english_where_the_admin_offers_it():
    column = Column.objects.get(name="通知公告")
    with translation.override("en"):
        assert str(column) == "Notices"
    with translation.override("zh-hans"):
        assert str(column) == "通知公告"


def test_a_societys_discipline_from_the_standard_reads_in_english(client):
    SocietyFactory(name="平湖市农学会", discipline="农学")
    SocietyFactory(name="平湖市茶文化研究会", discipline="茶文化")
    body = _in_english(client).get(reverse("members:org_list")).content.decode()
    assert "Agronomy" in body
    assert ">农学<" not in body
    assert "茶文化" in body  # a trade the catalogue does not know, as written


def test_a_venue_address_is_bracketed_as_english_writes_brackets(client):
    event = EventFactory(venue=VenueFactory(address="平湖市新华路1号"))
    english = _in_english(client).get(event.get_absolute_url()).content.decode()
    assert " (平湖市新华路1号)" in english
    assert "（平湖市新华路1号）" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "（平湖市新华路1号）" in client.get(event.get_absolute_url()).content.decode()


def test_the_workstations_tab_names_a_list_of_several(client):
    body = _in_english(client).get(reverse("experts:workstation_list")).content.decode()
    assert ">Workstations</a>" in body
    assert "<title>Workstations · " in body


def test_an_expert_is_named_with_english_brackets_round_the_organisation():
    from tests.experts.factories import ExpertFactory

    expert = ExpertFactory(name="张三", organisation="浙江大学")
    with translation.override("en"):
        assert str(expert) == "张三 (浙江大学)"
    with translation.override("zh-hans"):
        assert str(expert) == "张三（浙江大学）"


def test_the_organisations_page_counts_societies_in_the_plural(client):
    SocietyFactory(name="平湖市农学会")
    SocietyFactory(name="平湖市医学会")
    body = _in_english(client).get(reverse("members:org_list")).content.decode()
    assert 'id="societies-heading">Societies <small' in body


def test_a_long_english_site_name_wraps_in_the_header_rather_than_widening_the_page():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".navbar-brand { white-space: normal; max-width: 15rem;" in css


def test_a_certificate_line_too_long_in_english_is_set_smaller_to_fit_the_page():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from outreach.certificate_pdf import LINE_WIDTH, certificate_font, fitted_size

    font = certificate_font()
    line = f"took part in a popular-science event organised by {ENGLISH_NAME}"
    size = fitted_size(line, font, 14)
    assert size < 14
    assert stringWidth(line, font, size) <= LINE_WIDTH + 0.01
    assert fitted_size("参加了平湖市科学技术协会举办的科普活动", font, 14) == 14
