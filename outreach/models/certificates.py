"""Certificates of attendance (参加证明), with hours for youth activities.

A certificate is issued to a sign-up that checked in at an event marked as
giving one. ``check_code`` is the key of the public check page its QR code
opens: that page says only whether the certificate is genuine (or revoked),
with the holder's name masked.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outreach.models.registrations import Registration


def new_check_code() -> str:
    return secrets.token_urlsafe(12)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***; an empty or anonymised name stays unreadable."""
    name = (name or "").strip()
    if not name:
        return "*"
    return name[0] + "*" * max(1, len(name) - 1)


class Certificate(models.Model):
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("报名"),
        on_delete=models.CASCADE,
        related_name="certificate",
    )
    number = models.CharField(_("证书编号"), max_length=30, unique=True, editable=False)
    check_code = models.CharField(
        _("验证码"), max_length=24, unique=True, default=new_check_code, editable=False
    )
    holder_name = models.CharField(_("姓名"), max_length=50)
    people = models.PositiveSmallIntegerField(_("参加人数"), default=1)
    hours = models.DecimalField(
        _("时长（小时）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    issued_at = models.DateTimeField(_("发放时间"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # Without the holder's name and check code: erasing a sign-up leaves no copy (PIPL).
    history = HistoricalRecords(excluded_fields=["holder_name", "check_code"])

    class Meta:
        verbose_name = _("参加证明")
        verbose_name_plural = pgettext_lazy("several", "参加证明")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="certificate_revoked_with_reason",
                violation_error_message=_("撤销证书须写明原因。"),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("outreach:certificate_check", args=[self.check_code])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def masked_name(self) -> str:
        return mask_name(self.holder_name)
