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
