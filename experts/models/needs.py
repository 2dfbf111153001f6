import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from experts.storage import PrivateMediaStorage


class TechNeed(models.Model):
    """An enterprise's technical problem, followed from draft to a rated close.

    ``summary`` is public; ``details`` and the attachments are confidential.
    The status changes only through ``experts.workflow``, which records each
    change as a ``NeedTransition``.
    """

    class Kind(models.TextChoices):
        RESEARCH = "research", _("技术攻关")
        CONSULTING = "consulting", _("技术咨询")
        TRANSFER = "transfer", _("成果转化")
        TALENT = "talent", _("人才引进")
        TESTING = "testing", _("检验检测")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未通过审核")
        MATCHED = "matched", _("已匹配专家")
        ACCEPTED = "accepted", _("已确定专家")
        IN_SERVICE = "in_service", _("服务中")
        RESOLVED = "resolved", _("已解决")
        RATED = "rated", _("已评价")
        CLOSED = "closed", _("已关闭")
        WITHDRAWN = "withdrawn", _("已撤回")

    enterprise = models.ForeignKey(
        "experts.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    title = models.CharField(_("需求名称"), max_length=100)
    # A draft may be saved half-written (the enterprise comes back to it);
    # submitting for review asks for the summary, kind and fields.
    summary = models.TextField(
        _("公开摘要"), blank=True, help_text=_("公开展示，请勿写入商业秘密。")
    )
    details = models.TextField(
        _("详细内容（保密）"),
        blank=True,
        help_text=_("只有受邀或签署保密承诺的专家及科协工作人员可以查看。"),
    )
    kind = models.CharField(_("需求类型"), max_length=20, choices=Kind.choices, blank=True)
    fields = models.ManyToManyField(
        "experts.Discipline", verbose_name=_("所属领域"), blank=True, related_name="needs"
    )
    keywords = models.ManyToManyField(
        "experts.Keyword", verbose_name=_("关键词"), blank=True, related_name="needs"
    )
    suggested_keywords = models.JSONField(
        _("系统建议的关键词"), default=list, blank=True, editable=False
    )
    # Set when staff confirmed the fields and keywords at review: the matching
    # then trusts them instead of weighing the fields against the text.
    terms_confirmed_at = models.DateTimeField(
        _("领域和关键词确认时间"), null=True, blank=True, editable=False
    )
    terms_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    budget_min = models.PositiveIntegerField(_("预算下限（万元）"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("预算上限（万元）"), null=True, blank=True)
    deadline = models.DateField(_("期望完成日期"), null=True, blank=True)
    is_anonymous = models.BooleanField(
        _("匿名发布"), default=False, help_text=_("公开页面不显示企业名称。")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    status_changed_at = models.DateTimeField(
        _("状态变更时间"), default=timezone.now, editable=False
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = pgettext_lazy("several", "技术需求")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["status", "-published_at"]),
            # Every need, newest first (the admin's list and its date hierarchy).
            models.Index(fields=["created_at", "id"], name="need_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=F("budget_max")),
                name="techneed_budget_range_ordered",
                violation_error_message=_("预算下限不能高于预算上限。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("experts:need_detail", args=[self.pk])

    def missing_for_review(self) -> list[str]:
        """The labels of what a half-written draft still lacks before review."""
        missing = []
        if not self.summary.strip():
            missing.append(str(self._meta.get_field("summary").verbose_name))
        if not self.kind:
            missing.append(str(self._meta.get_field("kind").verbose_name))
        if not self.fields.exists():
            missing.append(str(self._meta.get_field("fields").verbose_name))
        return missing


class NeedTransition(models.Model):
    """One change of a need's status: who, when, from, to and why."""

    need = models.ForeignKey(
        TechNeed, verbose_name=_("技术需求"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=TechNeed.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=TechNeed.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示由系统自动变更。"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("原因或说明"), blank=True)

    class Meta:
        verbose_name = _("需求状态记录")
        verbose_name_plural = pgettext_lazy("several", "需求状态记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["to_status", "at"])]

    def __str__(self):
        return f"{self.need_id}: {self.from_status or '-'} → {self.to_status}"


def attachment_path(instance: "NeedAttachment", filename: str) -> str:
    """A generated name: nothing the uploader typed reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"needs/{instance.need_id}/{uuid.uuid4().hex}{suffix}"


class NeedAttachment(models.Model):
    """A confidential file of a need, served only through an access-checking view."""

    need = models.ForeignKey(
        TechNeed, verbose_name=_("技术需求"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("文件"), upload_to=attachment_path, storage=PrivateMediaStorage(), max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("需求附件")
        verbose_name_plural = pgettext_lazy("several", "需求附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("experts:attachment_download", args=[self.pk])


class Invitation(models.Model):
    """Staff asked an expert to look at a need. An invited expert may read the
    confidential details."""

    need = models.ForeignKey(
        TechNeed, verbose_name=_("技术需求"), on_delete=models.CASCADE, related_name="invitations"
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("专家"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("邀请说明"), blank=True)
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    declined_at = models.DateTimeField(_("婉拒时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家邀请")
        verbose_name_plural = pgettext_lazy("several", "专家邀请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "expert"], name="invitation_once_per_expert"),
        ]

    def __str__(self):
        return f"{self.expert} ← {self.need}"


class ConfidentialityAgreement(models.Model):
    """An expert accepted the confidentiality undertaking of one need."""

    need = models.ForeignKey(
        TechNeed,
        verbose_name=_("技术需求"),
        on_delete=models.CASCADE,
        related_name="confidentiality_agreements",
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("专家"),
        on_delete=models.CASCADE,
        related_name="confidentiality_agreements",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签署账户"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("签署时间"), default=timezone.now)
    text = models.TextField(_("承诺内容"))

    class Meta:
        verbose_name = _("保密承诺")
        verbose_name_plural = pgettext_lazy("several", "保密承诺")
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "expert"], name="confidentiality_once"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.need}"


class NeedRecommendation(models.Model):
    """A snapshot of the ranking (``experts.matching``) kept for experts'
    dashboards and for learning what became of each recommendation."""

    need = models.ForeignKey(
        TechNeed,
        verbose_name=_("技术需求"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("专家"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    rank = models.PositiveSmallIntegerField(_("名次"), validators=[MinValueValidator(1)])
    score = models.FloatField(_("得分"))
    reasons = models.JSONField(_("推荐理由"), default=list)
    created_at = models.DateTimeField(_("推荐时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专家推荐")
        verbose_name_plural = pgettext_lazy("several", "专家推荐")
        ordering = ["need", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["need", "expert"], name="recommendation_once"),
        ]

    def __str__(self):
        return f"{self.need_id} #{self.rank} {self.expert}"
