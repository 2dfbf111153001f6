from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consent(models.Model):
    """A person's agreement to a notice (告知与同意): which notice, which
    version of it, when, and for which record. Kept as long as the record's
    personal data, and anonymised with it."""

    notice = models.CharField(_("告知书"), max_length=40)
    version = models.CharField(_("版本"), max_length=20)
    record_type = models.CharField(_("记录类型"), max_length=60)
    record_id = models.PositiveBigIntegerField(_("记录编号"))
    given_at = models.DateTimeField(_("同意时间"), default=timezone.now)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = pgettext_lazy("several", "同意记录")
        ordering = ["-given_at", "-pk"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="consent_record")]

    def __str__(self):
        return f"{self.notice} v{self.version} · {self.record_type}#{self.record_id}"


class ExportLog(models.Model):
    """Every export of personal data by staff: who, when, what."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("导出时间"), default=timezone.now)
    what = models.CharField(_("导出内容"), max_length=200)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    fields = models.CharField(_("字段"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = pgettext_lazy("several", "导出记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"


class ErasureLog(models.Model):
    """Every erasure a person asked for: after proving their mobile number
    (删除个人信息) or by closing their account (注销账户). When, how, and how
    many records each source lost, so the association can show that it acted
    on the request; nothing that names the person is kept."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("验证手机号码后删除")
        ACCOUNT = "account", _("注销账户")

    at = models.DateTimeField(_("删除时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    records = models.PositiveIntegerField(_("记录数"), default=0)
    detail = models.CharField(_("各来源"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人信息删除记录")
        verbose_name_plural = pgettext_lazy("several", "个人信息删除记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} ({self.records})"
