"""What became of each recommendation, experts' semantic vectors, and the invalidation of
the matching index."""

from uuid import uuid4

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecommendationEvent(models.Model):
    """One step in the life of a recommendation: shown to staff, invited,
    answered, accepted, rated. Kept when the live ranking moves on, so the
    online figures of the matching engine can be computed later."""

    class Kind(models.TextChoices):
        RECOMMENDED = "recommended", _("被推荐")
        INVITED = "invited", _("被邀请")
        RESPONDED = "responded", _("已响应")
        ACCEPTED = "accepted", _("被采纳")
        RATED = "rated", _("已评价")

    need = models.ForeignKey(
        "experts.TechNeed",
        verbose_name=_("技术需求"),
        on_delete=models.CASCADE,
        related_name="recommendation_events",
    )
    expert = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("专家"),
        on_delete=models.CASCADE,
        related_name="recommendation_events",
    )
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    rank = models.PositiveSmallIntegerField(_("推荐名次"), null=True, blank=True)
    score = models.FloatField(_("得分"), null=True, blank=True)
    expert_busy = models.BooleanField(
        _("推荐时专家较忙"), default=False, help_text=_("较忙或正在对接其他需求。")
    )

    class Meta:
        verbose_name = pgettext_lazy("one", "推荐跟踪")
        verbose_name_plural = _("推荐跟踪")
        ordering = ["need", "expert", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "expert", "kind"], name="recommendation_event_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.need_id} · {self.expert_id} · {self.get_kind_display()}"


class StoredVector(models.Model):
    """A semantic vector (``experts.matching.semantic``) kept with what it was
    computed from: ``digest`` names the models and the text, so a text or model
    that changed is encoded again and nothing else is."""

    digest = models.CharField(_("内容摘要"), max_length=32)
    vector = models.BinaryField(_("向量"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ExpertVector(StoredVector):
    """The semantic vector of an expert's public profile, written by the index
    build, so a rebuilt index encodes only the profiles that changed."""

    expert = models.OneToOneField(
        "experts.Expert",
        verbose_name=_("专家"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("专家语义向量")
        verbose_name_plural = pgettext_lazy("several", "专家语义向量")

    def __str__(self):
        return str(self.expert_id)


class KeywordVector(StoredVector):
    """The semantic vector of an approved vocabulary entry (its name and first
    synonyms), which the review's meaning suggestions compare a need with: stored,
    so neither a rebuilt index nor a new process encodes the whole vocabulary
    again (about 20 s of CPU for 5,000 entries with both models)."""

    keyword = models.OneToOneField(
        "experts.Keyword",
        verbose_name=_("关键词"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("关键词语义向量")
        verbose_name_plural = pgettext_lazy("several", "关键词语义向量")

    def __str__(self):
        return str(self.keyword_id)


# --- invalidation of the in-memory matching index --------------------------------
# The index of expert documents lives in each process; a version in the shared
# cache tells every process to rebuild it. Cache bookkeeping, not business logic,
# hence a signal: experts change through many pages, the admin and the demo.
# Connected per model by ``connect_index_signals`` (from ``kexie.invalidation``),
# so other models keep Django's fast deletes.

INDEX_VERSION_KEY = "experts:matching:index-version"

#: The models the index reads (and the through tables of its many-to-many fields).
WATCHED = (
    "experts.Expert",
    "experts.Keyword",
    "experts.Discipline",
    "experts.Invitation",
    "experts.Response",
    "experts.Engagement",
    "experts.Rating",
)
WATCHED_RELATIONS = (("experts.Expert", "fields"), ("experts.Expert", "keywords"))


def index_invalidate() -> None:
    """Tell every process to rebuild its index (call after bulk writes, which send no signals)."""
    cache.set(INDEX_VERSION_KEY, uuid4().hex, timeout=None)


def _on_change(sender, **kwargs):
    index_invalidate()
    # Again once committed: another process may have rebuilt from the old rows meanwhile.
    transaction.on_commit(index_invalidate)


def connect_index_signals() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"experts-index:{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"experts-index:{label}")
    for label, name in WATCHED_RELATIONS:
        through = apps.get_model(label)._meta.get_field(name).remote_field.through
        m2m_changed.connect(
            _on_change, sender=through, dispatch_uid=f"experts-index:{label}.{name}"
        )
