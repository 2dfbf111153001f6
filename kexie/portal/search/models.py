from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Index
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchVectorIndex(GinIndex):
    """A GIN index on PostgreSQL. Elsewhere the vector column stays empty and
    is never queried, so a plain index stands in and migrations stay one set."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Index.create_sql(self, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


class SearchDocument(models.Model):
    """One public record as the search sees it. Derived data: written only by
    ``kexie.portal.search.services`` from the indexers, never edited by hand."""

    class Kind(models.TextChoices):
        EVENT = "event", _("科普活动")
        VENUE = "venue", _("科普阵地")
        SOCIETY = "society", _("学会")
        BRANCH = "branch", _("基层组织")
        EXPERT = "expert", _("专家")
        NEED = "need", _("技术需求")
        ACHIEVEMENT = "achievement", _("科技成果")
        ARTICLE = "article", _("新闻与公告")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("公开内容"), blank=True)
    url = models.CharField(_("链接"), max_length=200)
    date = models.DateField(_("日期"), null=True, blank=True)
    extra = models.CharField(_("补充说明"), max_length=200, blank=True)
    # Space-joined terms with a space at each end, so " 电池 " matches whole terms.
    title_terms = models.TextField(_("标题词项"), blank=True)
    body_terms = models.TextField(_("正文词项"), blank=True)
    # Filled and queried on PostgreSQL only (see ``services.VECTOR``).
    search_vector = SearchVectorField(_("全文索引"), null=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = pgettext_lazy("several", "搜索索引条目")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdoc_one_per_record"),
        ]
        indexes = [SearchVectorIndex(fields=["search_vector"], name="searchdoc_vector_gin")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"

    def get_absolute_url(self):
        return self.url
