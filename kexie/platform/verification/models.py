from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VerificationCode(models.Model):
    """A one-time code sent to a phone number or mailbox to prove it, for one
    purpose. Only a keyed hash of the code is stored."""

    purpose = models.CharField(_("用途"), max_length=40)
    # Normalised: ASCII digits of a mobile number, or a lower-case mailbox.
    address = models.CharField(_("手机号码或电子邮箱"), max_length=254)
    code_hash = models.CharField(max_length=64, editable=False)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = pgettext_lazy("several", "验证码")
        indexes = [
            models.Index(fields=["purpose", "address", "-created_at"], name="verification_lookup"),
            models.Index(fields=["expires_at"], name="verification_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="verification_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.purpose}: {self.address}"
