from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kexie.platform.lib.uploads import VerifiedImageField


class Town(models.Model):
    """A town or street of the county: the geography every app files things under."""

    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TOWN)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("镇街道")
        verbose_name_plural = pgettext_lazy("several", "镇街道")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Society(models.Model):
    """A member society (学会) of a discipline or trade."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        SUSPENDED = "suspended", _("暂停活动")
        DISSOLVED = "dissolved", _("已注销")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    discipline = models.CharField(_("学科或行业"), max_length=100, blank=True)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    logo = VerifiedImageField(_("标志"), upload_to="societies/", blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    member_count = models.PositiveIntegerField(_("会员人数"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学会")
        verbose_name_plural = pgettext_lazy("several", "学会")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:society_detail", args=[self.pk])

    @property
    def discipline_label(self) -> str:
        """The discipline in the reader's language where the catalogue knows it
        (GB/T 13745's names and the trades the portal ships); otherwise as written."""
        return gettext(self.discipline) if self.discipline else ""


class Branch(models.Model):
    """A grassroots organisation (基层科协). Branches form a tree: a town or street
    branch holds village and community organisations; enterprise, school and
    hospital branches may sit under a town branch or stand alone."""

    class Kind(models.TextChoices):
        TOWN = "town", _("镇街道科协")
        VILLAGE = "village", _("村科协")
        COMMUNITY = "community", _("社区科协")
        ENTERPRISE = "enterprise", _("企业科协")
        SCHOOL = "school", _("学校科协")
        HOSPITAL = "hospital", _("医院科协")
        OTHER = "other", _("其他基层组织")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    town = models.ForeignKey(
        Town, verbose_name=_("所在镇街道"), on_delete=models.PROTECT, related_name="branches"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("基层组织")
        verbose_name_plural = pgettext_lazy("several", "基层组织")
        ordering = ["town__order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="branch_not_own_parent",
                violation_error_message=_("组织不能是自己的上级组织。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:branch_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        # Walk up from the new parent: meeting this branch means a cycle.
        seen = set()
        node_id = self.parent_id
        while node_id is not None:
            if self.pk is not None and node_id == self.pk:
                raise ValidationError(
                    {"parent": _("上级组织不能是本组织或其下级组织，否则会形成循环。")},
                    code="branch_cycle",
                )
            if node_id in seen:  # a cycle already in the data; stop walking
                break
            seen.add(node_id)
            node_id = Branch.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()


class OrgManager(models.Model):
    """Makes a user the manager of one society or one branch (and the branches
    under it). See ``members.access`` for what that lets them see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="managed_orgs",
    )
    society = models.ForeignKey(
        Society,
        verbose_name=_("学会"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="managers",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("基层组织"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="managers",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织管理员")
        verbose_name_plural = pgettext_lazy("several", "组织管理员")
        constraints = [
            models.CheckConstraint(
                condition=(Q(society__isnull=False) & Q(branch__isnull=True))
                | (Q(society__isnull=True) & Q(branch__isnull=False)),
                name="orgmanager_exactly_one_org",
                violation_error_message=_("请选择一个学会或一个基层组织（只能选一个）。"),
            ),
            models.UniqueConstraint(fields=["user", "society"], name="orgmanager_unique_society"),
            models.UniqueConstraint(fields=["user", "branch"], name="orgmanager_unique_branch"),
        ]

    def __str__(self):
        return f"{self.user} → {self.society or self.branch}"
