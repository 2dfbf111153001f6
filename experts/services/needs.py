"""Needs: creating, editing, changing status, keywords and attachments."""

import os
import re
from datetime import date

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts import notify
from experts.matching.index import general_specificity
from experts.models import Discipline, Enterprise, Keyword, NeedAttachment, NeedTransition, TechNeed
from experts.services.matching import need_recommendations_refresh, need_vector_enqueue
from experts.services.transitions import need_transition
from kexie.platform.lib import text
from kexie.platform.lib.listing import list_text
from kexie.platform.lib.uploads import check_content

S = TechNeed.Status
EDITABLE_STATUSES = frozenset({S.DRAFT, S.REJECTED})
MAX_KEYWORDS = 12
MAX_KEYWORD_LENGTH = 20
MAX_ATTACHMENTS = 10

# Types accepted as attachments, by what the content is (``filetype``), with
# the file name endings that may carry each.
ATTACHMENT_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


# --- keywords --------------------------------------------------------------


def _vocabulary() -> dict[str, Keyword]:
    """Every term of the vocabulary (names and synonyms, normalised) to its keyword;
    an entry's own name wins over another entry's synonym."""
    terms: dict[str, Keyword] = {}
    keywords = list(Keyword.objects.order_by("pk"))
    for keyword in keywords:
        terms.setdefault(text.normalize(keyword.name), keyword)
    for keyword in keywords:
        for term in keyword.synonym_list:
            terms.setdefault(text.normalize(term), keyword)
    return terms


def _filing(keywords: list[Keyword]) -> dict[str, Keyword]:
    """The terms a typed word may be filed under: every entry's own name, and a
    synonym only when it belongs to one approved entry and is telling. So an
    expert's 「包装」 does not become 「食品包装」 (whose synonym it is) and an
    expert's 「变形」 is not filed under 「翘曲变形」."""
    names = {text.normalize(k.name): k for k in keywords}
    owners: dict[str, list[Keyword]] = {}
    for keyword in keywords:
        if keyword.is_approved:
            for term in keyword.synonym_list:
                owners.setdefault(text.normalize(term), []).append(keyword)
    filing = dict(names)
    for term, entries in owners.items():
        if term not in filing and len(entries) == 1 and general_specificity(term) >= 0.5:
            filing[term] = entries[0]
    return filing


def keyword_suggestions(source: str, *, limit: int = 8) -> list[str]:
    """Keywords suggested for a need's text: vocabulary words found in it first,
    then the segmenter's TF-IDF words. Only suggestions; the owner edits them."""
    normalized = text.normalize(source)
    found: list[str] = []
    for term, keyword in _vocabulary().items():
        if (
            keyword.is_approved
            and keyword.name not in found
            and text.contains_term(normalized, term)
        ):
            found.append(keyword.name)

    def position(name: str) -> int:
        # Reading order; a word found through a synonym goes after the others.
        found_at = normalized.find(text.normalize(name))
        return found_at if found_at >= 0 else len(normalized)

    found.sort(key=position)
    for word in text.keywords(source, limit=limit):
        if len(found) >= limit:
            break
        if (
            word not in found
            and len(word) <= MAX_KEYWORD_LENGTH
            and not text.is_unsuggestible_keyword(word)
        ):
            found.append(word)
    return found[:limit]


def deadline_check(deadline: date | None, *, saved: date | None = None) -> None:
    """A need's deadline may not be in the past, unless it is the one it already has."""
    if deadline and deadline < timezone.localdate() and deadline != saved:
        raise ValidationError({"deadline": _("期望完成日期不能早于今天。")})


def parse_keywords(raw: str) -> list[str]:
    """Words from a comma- or space-separated field, in order, without repeats."""
    words: list[str] = []
    for word in re.split(r"[,，、;；\s]+", raw or ""):
        word = word.strip()
        if word and word not in words:
            words.append(word)
    if len(words) > MAX_KEYWORDS:
        raise ValidationError(
            _("关键词最多%(count)d个。") % {"count": MAX_KEYWORDS}, code="too_many_keywords"
        )
    for word in words:
        if len(word) > MAX_KEYWORD_LENGTH:
            raise ValidationError(
                _("关键词「%(word)s」太长，每个关键词不超过%(limit)d个字。")
                % {"word": word, "limit": MAX_KEYWORD_LENGTH},
                code="keyword_too_long",
            )
    return words


def keywords_resolve(
    *, words: list[str], approve_new: bool = False, discipline: Discipline | None = None
) -> list[Keyword]:
    """The vocabulary entries for these words (see ``_filing``); a word that is no
    entry's name or telling synonym becomes a new entry, unapproved for staff to
    review (still found by its own name meanwhile), or approved when staff add it
    (``approve_new``, with ``discipline``)."""
    filing = _filing(list(Keyword.objects.order_by("pk")))
    resolved: list[Keyword] = []
    for word in words:
        keyword = filing.get(text.normalize(word))
        if keyword is None:
            keyword, _created = Keyword.objects.get_or_create(
                name=word, defaults={"is_approved": approve_new, "discipline": discipline}
            )
            filing[text.normalize(word)] = keyword
        if keyword not in resolved:
            resolved.append(keyword)
    return resolved


# --- creating and editing ----------------------------------------------------


def _need_text(need: TechNeed) -> str:
    return f"{need.title}\n{need.summary}\n{need.details}"


def _apply(
    need: TechNeed,
    *,
    title: str,
    summary: str,
    details: str,
    kind: str,
    fields: list[Discipline],
    keywords: list[str],
    budget_min: int | None,
    budget_max: int | None,
    deadline: date | None,
    is_anonymous: bool,
) -> TechNeed:
    need.title = title.strip()
    need.summary = summary.strip()
    need.details = details.strip()
    need.kind = kind
    need.budget_min = budget_min
    need.budget_max = budget_max
    need.deadline = deadline
    need.is_anonymous = is_anonymous
    need.suggested_keywords = keyword_suggestions(_need_text(need))
    need.full_clean()
    need.save()
    need.fields.set(fields)
    need.keywords.set(keywords_resolve(words=keywords))
    return need


@transaction.atomic
def need_create(
    *,
    enterprise: Enterprise,
    by,
    title: str,
    summary: str,
    details: str = "",
    kind: str,
    fields: list[Discipline],
    keywords: list[str],
    budget_min: int | None = None,
    budget_max: int | None = None,
    deadline: date | None = None,
    is_anonymous: bool = False,
) -> TechNeed:
    """A new need, as a draft of its enterprise."""
    deadline_check(deadline)
    need = TechNeed(enterprise=enterprise, created_by=by)
    _apply(
        need,
        title=title,
        summary=summary,
        details=details,
        kind=kind,
        fields=fields,
        keywords=keywords,
        budget_min=budget_min,
        budget_max=budget_max,
        deadline=deadline,
        is_anonymous=is_anonymous,
    )
    NeedTransition.objects.create(need=need, from_status="", to_status=S.DRAFT, by=by)
    return need


@transaction.atomic
def need_update(
    *,
    need: TechNeed,
    by,
    title: str,
    summary: str,
    details: str = "",
    kind: str,
    fields: list[Discipline],
    keywords: list[str],
    budget_min: int | None = None,
    budget_max: int | None = None,
    deadline: date | None = None,
    is_anonymous: bool = False,
) -> TechNeed:
    """Edit a draft or a rejected need."""
    locked = TechNeed.objects.select_for_update().get(pk=need.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(_("只有草稿或未通过审核的需求可以修改。"), code="not_editable")
    deadline_check(deadline, saved=locked.deadline)
    return _apply(
        locked,
        title=title,
        summary=summary,
        details=details,
        kind=kind,
        fields=fields,
        keywords=keywords,
        budget_min=budget_min,
        budget_max=budget_max,
        deadline=deadline,
        is_anonymous=is_anonymous,
    )


# --- status ------------------------------------------------------------------


def need_submit(*, need: TechNeed, by) -> TechNeed:
    missing = need.missing_for_review()
    if missing:
        raise ValidationError(
            _("提交审核前请先填写：%(fields)s。") % {"fields": list_text(missing)},
            code="incomplete",
        )
    need = need_transition(need=need, to_status=S.SUBMITTED, by=by)
    need_vector_enqueue(need=need)
    return need


def need_revise(*, need: TechNeed, by) -> TechNeed:
    """A rejected need, or one still waiting for review, back to draft for its owner
    to edit and submit again."""
    return need_transition(need=need, to_status=S.DRAFT, by=by)


@transaction.atomic
def need_publish(*, need: TechNeed, by) -> TechNeed:
    need_transition(need=need, to_status=S.PUBLISHED, by=by)
    need_recommendations_refresh(need=need)
    notify.to_enterprise(
        need.enterprise,
        template="experts-need-published",
        context={"need": need, "need_url": notify.need_url(need)},
        dedupe_key=f"experts:published:{need.pk}",
    )
    return need


@transaction.atomic
def need_reject(*, need: TechNeed, by, reason: str) -> TechNeed:
    need_transition(need=need, to_status=S.REJECTED, by=by, reason=reason)
    transition = need.transitions.order_by("-at", "-pk").first()
    notify.to_enterprise(
        need.enterprise,
        template="experts-need-rejected",
        context={"need": need, "reason": reason, "need_url": notify.need_url(need)},
        dedupe_key=f"experts:rejected:{need.pk}:{transition.pk}",
    )
    return need


def need_withdraw(*, need: TechNeed, by, reason: str = "") -> TechNeed:
    return need_transition(need=need, to_status=S.WITHDRAWN, by=by, reason=reason)


def need_close(*, need: TechNeed, by, reason: str = "") -> TechNeed:
    return need_transition(need=need, to_status=S.CLOSED, by=by, reason=reason)


# --- attachments -------------------------------------------------------------


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:g} MB"
    return f"{max(n // 1024, 1)} KB"


def _clean_name(name: str) -> str:
    name = _CONTROL_RE.sub("", os.path.basename(name or "").strip())
    return name[-200:] or _("附件")


@transaction.atomic
def need_attachment_add(*, need: TechNeed, by, upload: UploadedFile) -> NeedAttachment:
    """Store an attachment under a generated name after checking its size and,
    by its content, its type. Nothing is stored when a check fails."""
    need = TechNeed.objects.select_for_update().get(pk=need.pk)
    if need.status in (S.CLOSED, S.WITHDRAWN, S.RATED):
        raise ValidationError(_("该需求已结束，不能再上传附件。"), code="need_finished")
    if need.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("每条需求最多上传%(count)d个附件。") % {"count": MAX_ATTACHMENTS},
            code="too_many_attachments",
        )
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大：不能超过%(limit)s。") % {"limit": _size(limit)}, code="file_too_large"
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的。"), code="file_empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("不支持该文件类型，请上传 PDF、Word、Excel、PowerPoint 或 PNG/JPEG 图片。"),
            code="file_type",
        )
    original_name = _clean_name(upload.name)
    suffix = os.path.splitext(original_name)[1].lower()
    if suffix not in ATTACHMENT_TYPES[kind.mime]:
        raise ValidationError(
            _("文件内容与扩展名不符，请检查后重新上传。"), code="file_type_mismatch"
        )
    check_content(upload.read(), kind.mime)  # a PDF or picture that is also something else
    upload.seek(0)
    attachment = NeedAttachment(
        need=need,
        original_name=original_name,
        content_type=kind.mime,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{kind.extension}", upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def need_attachment_delete(*, attachment: NeedAttachment, by) -> None:
    need = attachment.need
    if need.status not in EDITABLE_STATUSES | {S.SUBMITTED}:
        raise ValidationError(_("需求发布后不能删除附件。"), code="attachment_locked")
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
