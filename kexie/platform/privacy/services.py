"""Consent records, export logs, a person's data by phone number, and the
retention run."""

import calendar
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.platform.lib.prepared import insert
from kexie.platform.privacy import registry
from kexie.platform.privacy.models import Consent, ErasureLog, ExportLog
from kexie.platform.privacy.notices import notice_version


def months_before(moment: datetime, months: int) -> datetime:
    """The same local time ``months`` calendar months earlier (the 31st
    becomes the month's last day)."""
    local = timezone.localtime(moment)
    years, month_index = divmod(local.month - 1 - months, 12)
    year, month = local.year + years, month_index + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def consent_record(*, notice_key: str, record, again: bool = False) -> Consent:
    """Record that the person behind ``record`` agreed to the notice shown
    with the form (the act of submitting under it). ``again``: the record
    existed before (a profile saved anew), so a consent already recorded for
    this version of the notice stands; a new record needs one INSERT only."""
    fields = {
        "notice": notice_key,
        "version": notice_version(notice_key),
        "record_type": record._meta.label_lower,
        "record_id": record.pk,
    }
    if again:
        existing = Consent.objects.filter(**fields).first()
        if existing is not None:
            return existing
    return insert(Consent(**fields))


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


def _erase_phone(phone: str) -> dict[str, int]:
    """How many records each source changed when it forgot ``phone``."""
    return {str(source.label): source.erase(phone) for source in registry.sources()}


def _erasure_log(kind: str, changed: dict[str, int]) -> int:
    """Write down that an erasure was done (no personal data) and return
    how many records it changed."""
    records = sum(changed.values())
    detail = "，".join(f"{label} {n}" for label, n in changed.items() if n)
    ErasureLog.objects.create(kind=kind, records=records, detail=detail[:300])
    return records


@transaction.atomic
def subject_erase(phone: str) -> int:
    """Remove the person from every source; the counts stay. The erasure
    itself is logged for staff, without the number."""
    return _erasure_log(ErasureLog.Kind.PHONE, _erase_phone(phone))


def _by_source(pairs) -> list[dict]:
    return [
        {"name": name, "label": str(label), "records": records}
        for name, label, records in pairs
        if records
    ]


def account_data(user) -> list[dict]:
    """Everything the portal holds about a signed-in account: the account's
    own records, and what is held under its proven mobile number."""
    pairs = [(s.name, s.label, s.find(user)) for s in registry.account_sources()]
    if user.phone:
        pairs += [
            (s.name, s.label, s.find(user.phone)) for s in registry.sources() if s.name != "account"
        ]
    return _by_source(pairs)


def account_may_close(user) -> bool:
    """Staff and organisation managers keep their accounts while they hold
    the role: closing them goes through the association."""
    return not (user.is_staff or user.is_superuser or user.role in ("staff", "manager"))


@transaction.atomic
def account_erase(user) -> int:
    """Close a signed-in person's account (注销): every record under its
    proven mobile number and every record of the account loses the person,
    the counts stay. The account itself is closed last."""
    if not account_may_close(user):
        raise ValidationError(
            _("工作人员和组织管理员的账户请联系科协办公室注销。"), code="staff_account"
        )
    changed = _erase_phone(user.phone) if user.phone else {}
    last = [s for s in registry.account_sources() if s.name == "account"]
    for source in [s for s in registry.account_sources() if s.name != "account"] + last:
        label = str(source.label)
        changed[label] = changed.get(label, 0) + source.erase(user)
    return _erasure_log(ErasureLog.Kind.ACCOUNT, changed)


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Apply every retention rule; returns how many records each changed
    (or, with ``dry_run``, would change)."""
    now = now or timezone.now()
    results = {}
    for rule in registry.rules():
        with transaction.atomic():
            results[rule.name] = rule.run(now, dry_run)
    return results
