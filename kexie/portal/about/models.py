"""The association's own profile (本会概况): who runs the portal and how to
reach it. One record, edited by staff in the admin, every version kept."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kexie.platform.lib.validators import clean_contact_phone, normalize_digits
from kexie.portal.about.validators import (
    normalize_filing,
    validate_icp_number,
    validate_postcode,
    validate_psb_number,
)

#: The profile's one primary key (a database constraint keeps it the only row).
PROFILE_ID = 1


class Profile(models.Model):
    """The association's introduction, contact details and filing numbers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=PROFILE_ID, editable=False)
    introduction = models.TextField(
        _("简介"),
        blank=True,
        help_text=_("关于我们页面开头的几段介绍：职能、组织、主要工作。"),
    )
    address = models.CharField(_("地址"), max_length=120, blank=True)
    postcode = models.CharField(
        _("邮政编码"), max_length=6, blank=True, validators=[validate_postcode]
    )
    telephone = models.CharField(
        _("电话"), max_length=30, blank=True, help_text=_("带区号的固定电话，如 0573-85012345。")
    )
    fax = models.CharField(_("传真"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    office_hours = models.CharField(
        _("办公时间"),
        max_length=100,
        blank=True,
        help_text=_("如：周一至周五 8:30—12:00，13:30—17:00（法定节假日除外）"),
    )
    icp_number = models.CharField(
        _("ICP备案号"),
        max_length=40,
        blank=True,
        validators=[validate_icp_number],
        help_text=_("如：浙ICP备12345678号-1。页脚显示，并链接到工业和信息化部备案系统。"),
    )
    psb_number = models.CharField(
        _("公安备案号"),
        max_length=40,
        blank=True,
        validators=[validate_psb_number],
        help_text=_("如：浙公网安备33048202000123号。没有可留空。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("本会概况")
        verbose_name_plural = pgettext_lazy("several", "本会概况")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=PROFILE_ID),
                name="about_profile_is_the_only_one",
                violation_error_message=_("本会概况只有一份。"),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        # The field validators have accepted the typed forms; keep the standard ones.
        self.icp_number = normalize_filing(self.icp_number)
        self.psb_number = normalize_filing(self.psb_number)
        self.postcode = normalize_digits(self.postcode).strip()
        errors = {}
        for name in ("telephone", "fax"):
            errors.update(_phone_error(self, name))
        if errors:
            raise ValidationError(errors)


class Department(models.Model):
    """An office of the association (科室) and its telephone."""

    profile = models.ForeignKey(
        Profile, verbose_name=_("本会概况"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("科室"), max_length=30)
    duties = models.CharField(_("主要职责"), max_length=120, blank=True)
    telephone = models.CharField(_("电话"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = pgettext_lazy("several", "科室")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "name"],
                name="about_department_unique_name",
                violation_error_message=_("科室名称重复了。"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = _phone_error(self, "telephone")
        if errors:
            raise ValidationError(errors)


def _phone_error(obj, name: str) -> dict:
    """The phone field ``name`` kept as a standard number, or its error."""
    value = getattr(obj, name)
    if not value:
        return {}
    try:
        setattr(obj, name, clean_contact_phone(value))
    except ValidationError as error:
        return {name: error}
    return {}
