"""The retention task anonymises exactly the rows past the limit, and the
staff reports' yearly figures are the same after it."""

import datetime
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from kexie.platform.privacy.services import months_before, retention_run
from kexie.portal.reports import selectors
from kexie.portal.reports.params import Period
from members.access import EVERYTHING
from outreach.models import Certificate, Event, Registration
from outreach.privacy import ANONYMOUS
from outreach.services.certificates import certificate_for_registration
from tests.outreach.factories import EventFactory, RegistrationFactory

TZ = datetime.timezone(timedelta(hours=8))
NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=TZ)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def held(when, **fields):
    return EventFactory(
        status=Event.Status.FINISHED, starts_at=when, ends_at=when + timedelta(hours=2), **fields
    )


@pytest.fixture
def year_2025():
    old = held(datetime.datetime(2025, 3, 1, 10, tzinfo=TZ), gives_certificate=True, reach_total=9)
    recent = held(datetime.datetime(2025, 9, 1, 10, tzinfo=TZ), reach_total=4)
    rows = {
        "old_attended": RegistrationFactory(
            event=old, status="attended", attended_count=2, party_size=2
        ),
        "old_no_show": RegistrationFactory(event=old, status="no_show"),
        "old_cancelled": RegistrationFactory(event=old, status="cancelled"),
        "recent": RegistrationFactory(event=recent, status="attended", attended_count=1),
    }
    certificate_for_registration(rows["old_attended"])
    return rows


def _figures():
    ctx = selectors.ReportContext(
        period=Period(first_year=2025, last_year=2025), scope=EVERYTHING, now=NOW
    )
    tables = selectors.dashboard(ctx)
    return {name: table.rows for name, table in tables.items()}, selectors.headline(tables)


def test_months_before_keeps_the_day_or_the_last_day():
    assert months_before(NOW, 12).date() == datetime.date(2025, 6, 1)
    assert months_before(datetime.datetime(2026, 3, 31, tzinfo=TZ), 1).date() == (
        datetime.date(2026, 2, 28)
    )


def test_retention_anonymises_exactly_the_rows_past_the_limit(year_2025, settings):
    settings.PRIVACY_SIGNUP_RETENTION_MONTHS = 12  # events that ended before 1 June 2025
    assert retention_run(dry_run=True)["outreach.signups"] == 3
    assert Registration.objects.filter(anonymised_at__isnull=False).count() == 0
    assert retention_run()["outreach.signups"] == 3
    anonymised = set(Registration.objects.filter(name=ANONYMOUS).values_list("pk", flat=True))
    assert anonymised == {year_2025[k].pk for k in ("old_attended", "old_no_show", "old_cancelled")}
    recent = Registration.objects.get(pk=year_2025["recent"].pk)
    assert recent.name == year_2025["recent"].name and recent.phone == year_2025["recent"].phone
    assert not Certificate.objects.exists()
    assert retention_run()["outreach.signups"] == 0  # nothing twice


def test_yearly_report_figures_are_unchanged_by_retention(year_2025, settings):
    settings.PRIVACY_SIGNUP_RETENTION_MONTHS = 1
    before = _figures()
    assert retention_run()["outreach.signups"] == 4
    assert _figures() == before


def test_certificates_keep_the_name_for_their_own_period(year_2025, settings):
    settings.PRIVACY_SIGNUP_RETENTION_MONTHS = 60
    settings.PRIVACY_CERTIFICATE_RETENTION_MONTHS = 1
    assert retention_run()["outreach.certificates"] == 1
    assert Certificate.objects.get().holder_name == ANONYMOUS


def test_command_dry_run_changes_nothing(year_2025, settings):
    settings.PRIVACY_SIGNUP_RETENTION_MONTHS = 12
    out = StringIO()
    call_command("privacy_retention", "--dry-run", stdout=out)
    assert "将匿名化" in out.getvalue()
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()
    call_command("privacy_retention", stdout=StringIO())
    assert Registration.objects.filter(anonymised_at__isnull=False).count() == 3


def test_retention_is_scheduled():
    from kexie.celery import BEAT_SCHEDULE

    assert "kexie.platform.privacy.tasks.retention" in {e["task"] for e in BEAT_SCHEDULE.values()}
