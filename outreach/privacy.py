"""Outreach's part of the personal-information duties: what it holds about a
phone number, erasing a person, and the retention rules.

Anonymising keeps the row, its status, party size and check-in count (the
reports count them) and removes the name, the number, the e-mail address and
the private link (a new random code), with the person's certificate and
survey link. A sign-up for an event still to come is cancelled first, so its
seat goes to the waiting list.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.platform.privacy.services import months_before
from outreach.models import (
    Certificate,
    FeedbackInvitation,
    LectureRequest,
    Registration,
    new_registration_code,
)
from outreach.services.registrations import registration_cancel

ANONYMOUS = "（已匿名）"


def _anonymous_phone(pk: int) -> str:
    # Unique per row, so the one-sign-up-per-phone constraint still holds.
    return f"x{pk}"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def find(phone: str) -> list[dict]:
    return _registration_rows(Registration.objects.filter(phone=phone)) + _lecture_rows(phone)


def _registration_rows(queryset) -> list[dict]:
    rows = []
    registrations = queryset.select_related("event").order_by("-created_at", "-pk")
    for registration in registrations:
        row = {
            _("记录"): _("活动报名"),
            _("活动"): registration.event.title,
            _("活动时间"): _when(registration.event.starts_at),
            _("姓名"): registration.name,
            _("手机号码"): registration.phone,
            _("人数"): registration.party_size,
            _("状态"): registration.get_status_display(),
            _("报名时间"): _when(registration.created_at),
        }
        if registration.email:
            row[_("电子邮箱")] = registration.email
        if hasattr(registration, "certificate"):
            row[_("参加证明")] = registration.certificate.number
        rows.append(row)
    return rows


def _lecture_rows(phone: str) -> list[dict]:
    rows = []
    for request in LectureRequest.objects.filter(contact_phone=phone).order_by("-created_at"):
        rows.append(
            {
                _("记录"): _("点单讲座申请"),
                _("申请单位"): request.organisation,
                _("联系人"): request.contact_name,
                _("联系电话"): request.contact_phone,
                _("提交时间"): _when(request.created_at),
                _("状态"): request.get_status_display(),
            }
        )
    return rows


def _anonymise_registrations(queryset, now: datetime) -> int:
    count = 0
    for registration in queryset.order_by("pk"):
        FeedbackInvitation.objects.filter(registration=registration).delete()
        Certificate.objects.filter(registration=registration).delete()
        scrubbed = {"name": ANONYMOUS, "phone": _anonymous_phone(registration.pk), "email": ""}
        Registration.objects.filter(pk=registration.pk).update(
            **scrubbed, user=None, code=new_registration_code(), anonymised_at=now
        )
        # The change history keeps copies of the row: they go too.
        Registration.history.filter(id=registration.pk).update(
            **scrubbed, user=None, code=new_registration_code()
        )
        count += 1
    return count


def _anonymise_lecture_requests(queryset) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    scrubbed = {"contact_name": ANONYMOUS, "contact_phone": ""}
    LectureRequest.history.filter(id__in=ids).update(**scrubbed)
    # A new private code for each: the old status link stops working.
    for pk in ids:
        LectureRequest.objects.filter(pk=pk).update(code=new_registration_code(), **scrubbed)
    return len(ids)


def _erase_registrations(queryset) -> int:
    """Cancel the coming ones (their seats go to the waiting list), then
    anonymise them all."""
    now = timezone.now()
    coming = queryset.filter(
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED),
        event__starts_at__gt=now,
    )
    for registration in coming.order_by("pk"):
        registration_cancel(registration=registration, by_registrant=False)
    return _anonymise_registrations(queryset, now)


def erase(phone: str) -> int:
    changed = _erase_registrations(Registration.objects.filter(phone=phone))
    return changed + _anonymise_lecture_requests(LectureRequest.objects.filter(contact_phone=phone))


def _account_registrations(user):
    # Those under the account's proven number are found and erased by number.
    mine = Registration.objects.filter(user=user, anonymised_at__isnull=True)
    return mine.exclude(phone=user.phone) if user.phone else mine


def find_for_account(user) -> list[dict]:
    return _registration_rows(_account_registrations(user))


def erase_for_account(user) -> int:
    return _erase_registrations(_account_registrations(user))


def _signups_due(now: datetime):
    cutoff = months_before(now, settings.PRIVACY_SIGNUP_RETENTION_MONTHS)
    return Registration.objects.filter(anonymised_at__isnull=True, event__ends_at__lt=cutoff)


def signups_retention(now: datetime, dry_run: bool) -> int:
    due = _signups_due(now)
    return due.count() if dry_run else _anonymise_registrations(due, now)


def lecture_requests_retention(now: datetime, dry_run: bool) -> int:
    cutoff = months_before(now, settings.PRIVACY_SIGNUP_RETENTION_MONTHS)
    due = LectureRequest.objects.filter(created_at__lt=cutoff).exclude(
        Q(contact_name=ANONYMOUS) & Q(contact_phone="")
    )
    return due.count() if dry_run else _anonymise_lecture_requests(due)


def certificates_retention(now: datetime, dry_run: bool) -> int:
    cutoff = months_before(now, settings.PRIVACY_CERTIFICATE_RETENTION_MONTHS)
    due = Certificate.objects.filter(registration__event__ends_at__lt=cutoff).exclude(
        holder_name=ANONYMOUS
    )
    return due.count() if dry_run else due.update(holder_name=ANONYMOUS)


def register() -> None:
    from kexie.platform.privacy.registry import (
        register_account_source,
        register_retention,
        register_source,
    )

    register_source("outreach", label=gettext_lazy("科普活动"), find=find, erase=erase)
    register_account_source(
        "outreach",
        label=gettext_lazy("用账户报名的活动（其他号码）"),
        find=find_for_account,
        erase=erase_for_account,
    )
    register_retention("outreach.signups", label=gettext_lazy("活动报名"), run=signups_retention)
    register_retention(
        "outreach.lecture_requests",
        label=gettext_lazy("点单讲座申请"),
        run=lecture_requests_retention,
    )
    register_retention(
        "outreach.certificates", label=gettext_lazy("参加证明"), run=certificates_retention
    )
