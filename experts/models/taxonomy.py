import re

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

_SYNONYM_SPLIT_RE = re.compile(r"[,，、;；\s]+")


class Discipline(models.Model):
    """A first-level discipline of GB/T 13745 (学科分类与代码), loaded as data."""

    class Group(models.TextChoices):
        NATURAL = "natural", _("自然科学")
        AGRICULTURE = "agriculture", _("农业科学")
        MEDICINE = "medicine", _("医药科学")
        ENGINEERING = "engineering", _("工程与技术科学")
        HUMANITIES = "humanities", _("人文与社会科学")

    code = models.CharField(_("代码"), max_length=3, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    group = models.CharField(_("门类"), max_length=20, choices=Group.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学科")
        verbose_name_plural = pgettext_lazy("several", "学科")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The name in the reader's language: the standard's names are in the
        catalogue (``experts.discipline_names``); one staff add reads as written."""
        return gettext(self.name)


class Keyword(models.Model):
    """A word of the controlled vocabulary that needs and experts are tagged with.

    Staff edit the vocabulary. Synonyms are the other ways people write the
    same thing (「锂电池」 for 「锂离子电池」); words enterprises type that are in
    no entry yet are added unapproved, for staff to approve or merge.
    """

    name = models.CharField(_("关键词"), max_length=50, unique=True)
    synonyms = models.TextField(_("同义词"), blank=True, help_text=_("用逗号、顿号或换行分隔。"))
    discipline = models.ForeignKey(
        Discipline,
        verbose_name=_("所属学科"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="keywords",
    )
    is_approved = models.BooleanField(
        _("已审核"), default=True, help_text=_("未审核的关键词由企业或专家填写，等待工作人员确认。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("one", "关键词")
        verbose_name_plural = _("关键词")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def synonym_list(self) -> list[str]:
        return [word for word in _SYNONYM_SPLIT_RE.split(self.synonyms or "") if word]

    def terms(self) -> list[str]:
        """The name and every synonym."""
        return [self.name, *self.synonym_list]
