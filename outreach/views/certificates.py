"""Certificates of attendance: the holder's page and PDF behind their private
sign-up link, and the public check page the QR code opens."""

import segno
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from outreach import access
from outreach.certificate_pdf import certificate_pdf
from outreach.models import Certificate, Registration
from outreach.services.certificates import (
    certificate_for_registration,
    certificate_missing_reason,
)


def check_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("outreach:certificate_check", args=[certificate.check_code])


def _certificate(code: str) -> tuple[Registration, Certificate | None]:
    registration = access.registration_for_code(code)
    return registration, certificate_for_registration(registration)


def _no_certificate(request, registration):
    """Not a bare 404: the holder of the private link is told why, and led back."""
    return _private(
        render(
            request,
            "outreach/certificate_none.html",
            {
                "registration": registration,
                "event": registration.event,
                "reason": certificate_missing_reason(registration),
            },
            status=404,
        )
    )


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def certificate(request, code: str):
    registration, certificate = _certificate(code)
    if certificate is None:
        return _no_certificate(request, registration)
    qr_svg = segno.make(check_url(certificate), error="m").svg_inline(
        scale=4, border=2, title=_("扫码验证参加证明")
    )
    return _private(
        render(
            request,
            "outreach/certificate.html",
            {
                "certificate": certificate,
                "registration": certificate.registration,
                "event": certificate.registration.event,
                "qr_svg": qr_svg,
                "code": code,
            },
        )
    )


@never_cache
@require_safe
def certificate_download(request, code: str):
    registration, certificate = _certificate(code)
    if certificate is None:
        return _no_certificate(request, registration)
    response = HttpResponse(
        certificate_pdf(certificate, check_url=check_url(certificate)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return _private(response)


@never_cache
@require_safe
def certificate_check(request, check_code: str):
    """Says only whether the certificate is genuine: masked name, the event,
    its date and hours; never the phone number or the full name."""
    certificate = (
        Certificate.objects.select_related("registration__event")
        .filter(check_code=check_code)
        .first()
    )
    status = 200 if certificate is not None else 404
    return _private(
        render(
            request,
            "outreach/certificate_check.html",
            {"certificate": certificate},
            status=status,
        )
    )
