"""What the association publishes: articles in columns, reviewed before they
go public, every version kept (django-simple-history), corrections shown."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kexie.platform.lib.storage import PrivateStorage

#: The names of the columns the portal starts with (loaded by a data
#: migration), marked so the English catalogue holds them.
SHIPPED_COLUMN_NAMES = [
    gettext_noop("工作动态"),
    gettext_noop("通知公告"),
    gettext_noop("政策文件"),
    gettext_noop("科普知识"),
]


class Column(models.Model):
    """A column (栏目): 工作动态, 通知公告, 政策文件, 科普知识, and any staff add."""

    slug = models.SlugField(
        _("网址名"),
        max_length=40,
        unique=True,
        help_text=_("用于网址，只能用英文字母、数字和短横线。"),
    )
    name = models.CharField(_("名称"), max_length=30, unique=True)
    description = models.CharField(_("简介"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    allows_pinning = models.BooleanField(
        _("可置顶"), default=False, help_text=_("通知公告类栏目：文章可置顶并设截止时间。")
    )
    on_home = models.BooleanField(_("在首页显示"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = pgettext_lazy("several", "栏目")
        ordering = ["order", "pk"]

    def __str__(self):
        # The admin's choices and filters show the column by its str().
        return self.label

    def get_absolute_url(self):
        return reverse("content:column", args=[self.slug])

    @property
    def label(self) -> str:
        """The name in the reader's language: the shipped columns' names are in
        the catalogue; a column staff add reads as written. The stored name
        stays as written (the search indexes it)."""
        return gettext(self.name)


class Tag(models.Model):
    name = models.CharField(_("名称"), max_length=20, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = pgettext_lazy("several", "标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """What a visitor may read: approved articles whose time has come.

        A scheduled article is public from its ``publish_at`` on, whether or
        not the periodic task has marked it published yet.
        """
        now = now or timezone.now()
        return self.filter(
            status__in=(Article.Status.SCHEDULED, Article.Status.PUBLISHED), publish_at__lte=now
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("退回修改")
        SCHEDULED = "scheduled", _("定时发布")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤下")

    column = models.ForeignKey(
        Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(
        _("摘要"), max_length=200, blank=True, help_text=_("列表和分享时显示，一两句话。")
    )
    cover = models.ForeignKey(
        "pictures.Picture",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("列表、首页和分享时显示。"),
    )
    body = models.TextField(
        _("正文"),
        blank=True,
        help_text=_("正文插图：先在“图片”中上传并填写替代文本，再把它的“详情”地址填入插图对话框。"),
    )
    source = models.CharField(_("来源"), max_length=60, blank=True, help_text=_("如：市科协办公室"))
    author_name = models.CharField(_("作者"), max_length=60, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), blank=True, related_name="articles")
    society = models.ForeignKey(
        "members.Society",
        verbose_name=_("所属学会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("学会或基层组织的稿件填写；科协自己的稿件留空。"),
    )
    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("所属基层组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    is_pinned = models.BooleanField(_("置顶"), default=False)
    closes_at = models.DateTimeField(
        _("截止时间"),
        null=True,
        blank=True,
        help_text=_("通知的报名或申报截止时间；过后仍可阅读，标为已截止，不再置顶。"),
    )
    related_events = models.ManyToManyField(
        "outreach.Event", verbose_name=_("相关活动"), blank=True, related_name="+"
    )
    related_venues = models.ManyToManyField(
        "outreach.Venue", verbose_name=_("相关阵地"), blank=True, related_name="+"
    )
    related_societies = models.ManyToManyField(
        "members.Society", verbose_name=_("相关学会"), blank=True, related_name="+"
    )
    related_needs = models.ManyToManyField(
        "experts.TechNeed", verbose_name=_("相关技术需求"), blank=True, related_name="+"
    )

    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送审人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("送审时间"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("审核意见"), blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = pgettext_lazy("several", "文章")
        ordering = ["-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["column", "status", "publish_at"], name="article_column_status"),
            models.Index(fields=["status", "publish_at"], name="article_status_publish"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(society__isnull=True) | Q(branch__isnull=True),
                name="article_one_organisation",
                violation_error_message=_("所属组织只能选一个学会或一个基层组织。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published"]) | Q(publish_at__isnull=False),
                name="article_published_has_time",
                violation_error_message=_("通过审核的文章必须有发布时间。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:article", args=[self.pk])

    @property
    def organisation(self):
        return self.society or self.branch

    def is_public(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status in (self.Status.SCHEDULED, self.Status.PUBLISHED)
            and self.publish_at is not None
            and self.publish_at <= now
        )

    def is_closed(self, now=None) -> bool:
        """A call whose closing time has passed: still readable, marked closed."""
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A generated name: nothing the uploader typed reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"content/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file offered for download with an article (application forms, rules …).

    Stored outside ``MEDIA_ROOT`` and served by a view that checks the article
    may be seen, always as a download.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("文件"), upload_to=attachment_path, storage=PrivateStorage(), max_length=200
    )
    title = models.CharField(_("显示名称"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("大小（字节）"), editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("several", "附件")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:attachment", args=[self.pk])

    @property
    def extension(self) -> str:
        return PurePosixPath(self.original_name).suffix.lstrip(".").upper()


class Correction(models.Model):
    """A change to a published article, shown to readers with its note."""

    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField(_("更正说明"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    class Meta:
        verbose_name = _("更正记录")
        verbose_name_plural = pgettext_lazy("several", "更正记录")
        ordering = ["made_at", "pk"]

    def __str__(self):
        return self.note[:40]
