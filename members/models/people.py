from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kexie.platform.lib.uploads import VerifiedImageField
from kexie.platform.lib.validators import validate_mobile


class Person(models.Model):
    """A science and technology worker (科技工作者).

    Phone, e-mail and birth year are private: they never appear on public pages.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("出生年份"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    discipline = models.CharField(_("专业领域"), max_length=100, blank=True)
    phone = models.CharField(
        _("手机号码"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("所属基层组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    biography = models.TextField(_("公开简介"), blank=True)
    photo = VerifiedImageField(_("照片"), upload_to="people/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("科技工作者")
        verbose_name_plural = pgettext_lazy("several", "科技工作者")
        ordering = ["name", "pk"]
        # The register in its order (the admin's list of thousands): a page read
        # from the index instead of sorting every person.
        indexes = [models.Index(fields=["name", "id"], name="person_name")]

    def __str__(self):
        return self.name


class Position(models.Model):
    """A person's office in one society or one branch for a term.

    The term runs from ``start`` to ``end`` inclusive; an empty ``end`` means
    the term is open. A position is *current* when its term covers today.
    """

    class Role(models.TextChoices):
        PRESIDENT = "president", _("会长")
        VICE_PRESIDENT = "vice_president", _("副会长")
        SECRETARY_GENERAL = "secretary_general", _("秘书长")
        DIRECTOR = "director", _("理事")
        CHAIR = "chair", _("主席")
        VICE_CHAIR = "vice_chair", _("副主席")
        HOSPITAL_HEAD = "hospital_head", _("医院院长")
        SCHOOL_HEAD = "school_head", _("学校校长")
        AGRI_STATION_HEAD = "agri_station_head", _("农技站站长")

    #: Offices one person holds at a time in an organisation.
    SINGLE_HOLDER_ROLES = (
        Role.PRESIDENT,
        Role.SECRETARY_GENERAL,
        Role.CHAIR,
        Role.HOSPITAL_HEAD,
        Role.SCHOOL_HEAD,
        Role.AGRI_STATION_HEAD,
    )
    #: The "三长" who sit on town and street branches (三长制).
    THREE_HEADS = (Role.HOSPITAL_HEAD, Role.SCHOOL_HEAD, Role.AGRI_STATION_HEAD)

    person = models.ForeignKey(
        Person, verbose_name=_("科技工作者"), on_delete=models.CASCADE, related_name="positions"
    )
    society = models.ForeignKey(
        "members.Society",
        verbose_name=_("学会"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="positions",
    )
    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("基层组织"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="positions",
    )
    role = models.CharField(_("职务"), max_length=30, choices=Role.choices)
    title = models.CharField(
        _("职务名称"),
        max_length=50,
        blank=True,
        help_text=_("留空时显示职务，例如可填写“常务副会长”。"),
    )
    start = models.DateField(_("任期开始"))
    end = models.DateField(_("任期结束"), null=True, blank=True, help_text=_("留空表示仍在任。"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = pgettext_lazy("several", "职务")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(society__isnull=False) & Q(branch__isnull=True))
                | (Q(society__isnull=True) & Q(branch__isnull=False)),
                name="position_exactly_one_org",
                violation_error_message=_("请选择一个学会或一个基层组织（只能选一个）。"),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="position_end_after_start",
                violation_error_message=_("任期结束日期不能早于开始日期。"),
            ),
            # Two open terms of a single-holder office can never coexist; the
            # overlap of closed terms is checked in clean() under a row lock.
            models.UniqueConstraint(
                fields=["society", "role"],
                condition=Q(end__isnull=True, society__isnull=False)
                & Q(role__in=["president", "secretary_general", "chair"]),
                name="position_one_open_society_holder",
                violation_error_message=_("该职务已有在任人员，同一时间只能有一人担任。"),
            ),
            models.UniqueConstraint(
                fields=["branch", "role"],
                condition=Q(end__isnull=True, branch__isnull=False)
                & Q(
                    role__in=[
                        "president",
                        "secretary_general",
                        "chair",
                        "hospital_head",
                        "school_head",
                        "agri_station_head",
                    ]
                ),
                name="position_one_open_branch_holder",
                violation_error_message=_("该职务已有在任人员，同一时间只能有一人担任。"),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.organisation} · {self.display_title}"

    @property
    def organisation(self):
        return self.society if self.society_id else self.branch

    @property
    def display_title(self) -> str:
        return self.title or self.get_role_display()

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)

    def overlapping(self):
        """Other terms of the same single-holder office that share a day with this one."""
        others = Position.objects.filter(role=self.role).exclude(pk=self.pk)
        if self.society_id:
            others = others.filter(society_id=self.society_id)
        else:
            others = others.filter(branch_id=self.branch_id)
        others = others.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.end is not None:
            others = others.filter(start__lte=self.end)
        return others

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("任期结束日期不能早于开始日期。")})
        if self.role in self.THREE_HEADS and (
            self.society_id or (self.branch_id and self.branch.kind != "town")
        ):
            raise ValidationError(
                {"role": _("医院院长、学校校长、农技站站长只能在镇街道科协任职。")}
            )
        if (
            self.role in self.SINGLE_HOLDER_ROLES
            and self.start
            and (self.society_id or self.branch_id)
            and (self.society_id is None or self.branch_id is None)
        ):
            clash = self.overlapping().select_related("person").first()
            if clash is not None:
                raise ValidationError(
                    _(
                        "任期与%(name)s的%(title)s任期（%(start)s 起）重叠："
                        "该职务同一时间只能有一人担任。"
                    )
                    % {
                        "name": clash.person.name,
                        "title": clash.display_title,
                        "start": clash.start,
                    },
                    code="position_overlap",
                )
