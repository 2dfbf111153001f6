"""The disciplines' names in the reader's language: the standard's names are in
the catalogue, stored Chinese (the matching and the search read them), shown in
English on English pages; a discipline staff add reads as they wrote it."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from experts.models import Discipline
from tests.experts.factories import discipline

pytestmark = pytest.mark.django_db


def test_every_discipline_of_the_standard_has_an_english_name():
    with translation.override("en"):
        untranslated = [d.name for d in Discipline.objects.all() if d.label == d.name]
    assert untranslated == []
    assert Discipline.objects.count() == 62


def test_a_discipline_reads_in_the_active_language():
    mechanical = discipline("460")
    assert mechanical.name == "机械工程"
    with translation.override("en"):
        assert str(mechanical) == "460 Mechanical Engineering"
    with translation.override("zh-hans"):
        assert str(mechanical) == "460 机械工程"


def test_a_discipline_staff_added_reads_as_written():
    added = Discipline.objects.create(code="999", name="乡村振兴", group="humanities")
    with translation.override("en"):
        assert added.label == "乡村振兴"


def test_the_picker_shows_english_names_and_finds_them_in_either_language(
    enterprise, login, enterprise_user
):
    client = login(enterprise_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("experts:need_create")).content.decode()
    assert 'data-name="Mechanical Engineering"' in page
    assert 'data-search="Mechanical Engineering 机械工程"' in page
    assert ">Mechanical Engineering <span" in page


def test_the_suggestions_endpoint_answers_in_the_pages_language(login, public_user):
    client = login(public_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = client.post(
        reverse("experts:discipline_suggest"), {"text": "我们养猪，猪容易生病"}
    ).json()["disciplines"][0]
    assert first["name"] == "Animal Husbandry and Veterinary Science"
