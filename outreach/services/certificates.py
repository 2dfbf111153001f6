"""Certificates of attendance: issued on first request to a sign-up that
checked in at an event giving one, once it is over; revoked by staff with a
reason (the check page then says so)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import Certificate, Registration


def certificate_eligible(registration: Registration) -> bool:
    event = registration.event
    return (
        event.gives_certificate
        and registration.status == Registration.Status.ATTENDED
        and event.ends_at <= timezone.now()
    )


def certificate_missing_reason(registration: Registration) -> str:
    """Why a sign-up has no certificate, in words its holder understands."""
    event = registration.event
    if not event.gives_certificate:
        return _("这场活动不发参加证明。")
    if registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED) or (
        event.ends_at > timezone.now()
    ):
        return _("参加证明在活动结束后发给现场签到的参加者。")
    return _(
        "参加证明只发给现场签到的参加者；这次报名没有签到记录。如您到场却没有签到，请联系主办方。"
    )


def _number(registration: Registration) -> str:
    event = registration.event
    return f"{timezone.localtime(event.starts_at):%Y}-{event.pk:04d}-{registration.pk:05d}"


def certificate_for_registration(registration: Registration) -> Certificate | None:
    """The sign-up's certificate, issued now if it is due one and has none;
    ``None`` when it is not due one."""
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    if not certificate_eligible(registration):
        return None
    event = registration.event
    certificate = Certificate(
        registration=registration,
        number=_number(registration),
        holder_name=registration.name,
        people=max(registration.attended_count, 1),
        hours=event.certificate_hours,
    )
    certificate.full_clean(exclude=["registration"], validate_unique=False)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Issued by a concurrent request first.
        return Certificate.objects.get(registration=registration)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因。")}, code="reason")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("该证书已经撤销。"), code="already_revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = reason[:200]
    certificate.revoked_by = by if getattr(by, "is_authenticated", False) else None
    certificate.save(update_fields=["revoked_at", "revoke_reason", "revoked_by"])
    return certificate
