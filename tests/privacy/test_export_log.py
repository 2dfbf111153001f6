"""Every staff export is logged: who, when, what, how many rows, which fields."""

import pytest
import time_machine
from django.urls import reverse

from kexie.platform.privacy.models import ExportLog
from tests.outreach.conftest import NOW
from tests.outreach.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_sign_up_list_export_is_logged_with_its_fields(staff_client, staff_user):
    with time_machine.travel(NOW, tick=False):
        event = EventFactory(title="星空观测夜")
        RegistrationFactory.create_batch(3, event=event)
        response = staff_client.get(reverse("outreach:staff_registrations_xlsx", args=[event.pk]))
    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert log.user == staff_user
    assert log.rows == 3
    assert "星空观测夜" in log.what
    assert "手机号码" in log.fields and "电子邮箱" not in log.fields
    assert log.at == NOW


def test_report_export_is_logged(staff_client, staff_user):
    response = staff_client.get(reverse("reports:export", args=["trend"]) + "?year=2025")
    assert response.status_code == 200
    log = ExportLog.objects.get()
    assert log.user == staff_user and "2025" in log.what


def test_a_refused_export_logs_nothing(client, db):
    event = EventFactory()
    client.get(reverse("outreach:staff_registrations_xlsx", args=[event.pk]))
    assert not ExportLog.objects.exists()


def test_every_admin_export_is_logged():
    from django.contrib import admin
    from import_export.admin import ExportMixin

    from kexie.platform.privacy.exports import LoggedExportMixin

    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ExportMixin):
            assert isinstance(model_admin, LoggedExportMixin), type(model_admin).__name__


def test_an_export_from_the_admin_is_logged_with_the_columns_chosen(staff_client, staff_user):
    from tests.factories import PersonFactory

    PersonFactory.create_batch(2)
    # Staff tick only the columns the task needs: here no phone, no e-mail.
    response = staff_client.post(
        reverse("admin:members_person_export"),
        {
            "format": "0",
            "resource": "0",
            "personresource_name": "on",
            "personresource_employer": "on",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    log = ExportLog.objects.get()
    assert log.user == staff_user and log.rows == 2
    assert "管理后台导出" in log.what
    assert "姓名" in log.fields and "手机号码" not in log.fields
