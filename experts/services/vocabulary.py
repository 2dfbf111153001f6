"""Staff close the loop at review: a need's fields and keywords confirmed or
corrected, and the words they teach the shared vocabulary.

The vocabulary is one: ``Keyword`` entries (a name, its synonyms, a discipline)
serve the matching and the site search alike. Words staff add here are approved
by that act; words enterprises and experts type wait for approval (and meanwhile
count by their own name only).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import rules, workflow
from experts.models import Discipline, Keyword, TechNeed
from experts.services.matching import need_recommendations_refresh
from experts.services.needs import MAX_KEYWORD_LENGTH, keywords_resolve, parse_keywords
from kexie.platform.lib import text


def _require_staff(by) -> None:
    if not rules.is_staff(by):
        raise ValidationError(_("只有科协工作人员可以修改领域和关键词。"), code="not_staff")


def _check_word(word: str) -> str:
    word = (word or "").strip()
    if not word:
        raise ValidationError(_("请填写词语。"), code="word_empty")
    if len(word) > MAX_KEYWORD_LENGTH:
        raise ValidationError(
            _("关键词「%(word)s」太长，每个关键词不超过%(limit)d个字。")
            % {"word": word, "limit": MAX_KEYWORD_LENGTH},
            code="keyword_too_long",
        )
    if text.is_junk_keyword(word):
        raise ValidationError(
            _("「%(word)s」不能作为关键词：数字、单位或单个字符没有检索意义。") % {"word": word},
            code="junk_keyword",
        )
    return word


@transaction.atomic
def need_terms_confirm(
    *,
    need: TechNeed,
    by,
    fields: list[Discipline],
    keywords: list[str],
    add_to_vocabulary: bool = False,
) -> TechNeed:
    """Staff confirm or correct a need's fields and technical keywords. From then on
    the ranking trusts the fields in full and counts the keywords as the need's own.
    Words in no entry become entries: approved at once when ``add_to_vocabulary``
    (staff approval, under the first field), else waiting for approval."""
    _require_staff(by)
    if not fields:
        raise ValidationError({"fields": _("请至少选择一个领域。")}, code="no_field")
    words = [_check_word(word) for word in parse_keywords("、".join(keywords))]
    locked = TechNeed.objects.select_for_update().get(pk=need.pk)
    locked.fields.set(fields)
    locked.keywords.set(
        keywords_resolve(words=words, approve_new=add_to_vocabulary, discipline=fields[0])
    )
    locked.terms_confirmed_at = timezone.now()
    locked.terms_confirmed_by = by
    locked.save(update_fields=["terms_confirmed_at", "terms_confirmed_by", "updated_at"])
    if locked.status in workflow.OPEN_STATUSES:
        need_recommendations_refresh(need=locked)
    return locked


@transaction.atomic
def keyword_synonym_add(*, keyword: Keyword, word: str, by) -> Keyword:
    """Staff teach the vocabulary that ``word`` (the enterprise's plain words) means
    ``keyword``: the matching and the search both expand it from then on. A pending
    entry of that name is merged into ``keyword``."""
    _require_staff(by)
    word = _check_word(word)
    normalized = text.normalize(word)
    locked = Keyword.objects.select_for_update().get(pk=keyword.pk)
    if normalized in {text.normalize(term) for term in locked.terms()}:
        return locked
    other = Keyword.objects.exclude(pk=locked.pk).filter(name__iexact=word).first()
    if other is not None and other.is_approved:
        raise ValidationError(
            _("「%(word)s」已是词表中的另一个关键词，不能再作为「%(name)s」的同义词。")
            % {"word": word, "name": locked.name},
            code="word_is_an_entry",
        )
    if other is not None:
        # A word typed before and waiting for approval: its experts and needs now
        # carry the entry it means, and the pending entry goes.
        for expert in other.experts.all():
            expert.keywords.add(locked)
        for tagged in other.needs.all():
            tagged.keywords.add(locked)
        other.delete()
    locked.synonyms = "、".join([*locked.synonym_list, word])
    locked.is_approved = True
    locked.full_clean()
    locked.save(update_fields=["synonyms", "is_approved"])
    return locked
