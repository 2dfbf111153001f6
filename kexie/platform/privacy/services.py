"""Consent records, export logs, a person's data by phone number, and the
retention run."""

import calendar
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from kexie.platform.privacy import registry
from kexie.platform.privacy.models import Consent, ExportLog
from kexie.platform.privacy.notices import notice


def months_before(moment: datetime, months: int) -> datetime:
    """The same local time ``months`` calendar months earlier (the 31st
    becomes the month's last day)."""
    local = timezone.localtime(moment)
    years, month_index = divmod(local.month - 1 - months, 12)
    year, month = local.year + years, month_index + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def consent_record(*, notice_key: str, record) -> Consent:
    """Record that the person behind ``record`` agreed to the notice shown
    with the form (the act of submitting under it): once per record and
    version of the notice, however often the record is saved again."""
    current = notice(notice_key)
    fields = {
        "notice": current.key,
        "version": current.version,
        "record_type": record._meta.label_lower,
        "record_id": record.pk,
    }
    return Consent.objects.filter(**fields).first() or Consent.objects.create(**fields)


def export_log(*, user, what: str, rows: int, fields: list[str] | tuple = ()) -> ExportLog:
    return ExportLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        what=str(what)[:200],
        rows=rows,
        fields=", ".join(str(f) for f in fields)[:300],
    )


def subject_data(phone: str) -> list[dict]:
    """Everything the portal holds about a proven phone number, by source."""
    found = []
    for source in registry.sources():
        records = source.find(phone)
        if records:
            found.append({"name": source.name, "label": str(source.label), "records": records})
    return found


@transaction.atomic
def subject_erase(phone: str) -> int:
    """Remove the person from every source; the counts stay."""
    return sum(source.erase(phone) for source in registry.sources())


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Apply every retention rule; returns how many records each changed
    (or, with ``dry_run``, would change)."""
    now = now or timezone.now()
    results = {}
    for rule in registry.rules():
        with transaction.atomic():
            results[rule.name] = rule.run(now, dry_run)
    return results
