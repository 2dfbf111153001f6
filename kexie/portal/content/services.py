"""Writing, reviewing, publishing and correcting articles.

The only writers of ``Article.status``. Every save leaves a version in the
article's history (django-simple-history) with who and why; a change to a
published article is a correction, shown to readers with its note.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.platform.lib.validators import DOCUMENT_TYPES, check_upload
from kexie.portal.content import access
from kexie.portal.content.models import Article, Attachment, Column, Correction, Tag
from kexie.portal.content.sanitize import clean_html, pictures_in
from members.access import org_scope_for_user

S = Article.Status
MAX_ATTACHMENTS = 20


def _save(article: Article, *, by, reason: str) -> None:
    """Validate and save, leaving a version with who and why."""
    article.full_clean()
    article._history_user = by
    article._change_reason = reason
    article.save()


def _check_body(article: Article) -> None:
    article.body = clean_html(article.body)
    for picture in pictures_in(article.body):
        if not (picture.get("alt") or "").strip():
            raise ValidationError(
                {"body": _("正文中的每张图片都要填写替代文本（图片说明），方便视障读者。")},
                code="picture_without_alt",
            )


def _check_fields(article: Article, *, by) -> None:
    """Rules of the content, whoever writes."""
    if not article.column_id:
        raise ValidationError({"column": _("请选择栏目。")}, code="no_column")
    if (article.is_pinned or article.closes_at) and not article.column.allows_pinning:
        raise ValidationError(
            _("只有通知公告类栏目的文章可以置顶或设置截止时间。"), code="not_pinnable"
        )
    scope = org_scope_for_user(by)
    if scope.is_empty:
        raise ValidationError(_("您没有撰写文章的权限。"), code="not_a_writer")
    if not scope.everything:
        if not (article.society_id or article.branch_id):
            raise ValidationError(_("请选择本稿件所属的学会或基层组织。"), code="no_organisation")
        if not access.covers(scope, article):
            raise ValidationError(
                _("只能为自己管理的学会或基层组织撰写稿件。"), code="other_organisation"
            )
    _check_body(article)


def article_check(*, article: Article, by, correction_note: str = "") -> None:
    """The checks ``article_save`` or ``article_correct`` will make, without
    saving: forms call it to show the writer every problem at once."""
    stored = Article.objects.filter(pk=article.pk).first() if article.pk else None
    if stored is not None and stored.status in (S.SCHEDULED, S.PUBLISHED):
        if not access.can_correct(by, stored):
            raise ValidationError(_("只有科协工作人员可以更正已发布的文章。"), code="not_allowed")
        if not (correction_note or "").strip():
            raise ValidationError(
                {"correction_note": _("更正已发布的文章时，请写明更正说明，读者会看到。")},
                code="note_required",
            )
    elif stored is not None and stored.status not in access.EDITABLE:
        raise ValidationError(
            _("“%(status)s”的文章不能直接修改。") % {"status": stored.get_status_display()},
            code="not_editable",
        )
    _check_fields(article, by=by)


@transaction.atomic
def article_save(*, article: Article, by) -> Article:
    """Create a draft, or save changes to a draft or a returned article.

    ``article`` carries the new values (a form's instance). A published
    article changes only through ``article_correct``.
    """
    if article.pk is None:
        article.created_by = by
        article.status = S.DRAFT
        reason = _("新建草稿")
    else:
        stored = Article.objects.select_for_update().get(pk=article.pk)
        if stored.status not in access.EDITABLE:
            raise ValidationError(
                _("“%(status)s”的文章不能直接修改。") % {"status": stored.get_status_display()},
                code="not_editable",
            )
        if not access.covers(org_scope_for_user(by), stored):
            raise ValidationError(_("您不能修改这篇文章。"), code="not_yours")
        # Workflow fields never come from a form.
        for name in (
            "status", "publish_at", "created_by_id", "created_at", "submitted_by_id",
            "submitted_at", "reviewed_by_id", "reviewed_at", "review_comment",
        ):  # fmt: skip
            setattr(article, name, getattr(stored, name))
        reason = _("修改稿件")
    _check_fields(article, by=by)
    _save(article, by=by, reason=reason)
    return article


def article_create(
    *,
    column: Column,
    title: str,
    by,
    body: str = "",
    tags: list[str] | None = None,
    **fields,
) -> Article:
    """A new draft from values (the demo, tests and any other caller than a form)."""
    article = Article(column=column, title=title, body=body, **fields)
    article_save(article=article, by=by)
    if tags:
        article_set_tags(article=article, names=tags)
    return article


def article_set_tags(*, article: Article, names: list[str]) -> None:
    tags = []
    for name in names:
        name = name.strip()[:20]
        if name:
            tags.append(Tag.objects.get_or_create(name=name)[0])
    article.tags.set(tags)


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().select_related("column").get(pk=article.pk)


def _refresh(article: Article, stored: Article) -> Article:
    """Copy the saved workflow fields back onto the caller's instance."""
    for name in (
        "status", "publish_at", "submitted_by_id", "submitted_at", "reviewed_by_id",
        "reviewed_at", "review_comment",
    ):  # fmt: skip
        setattr(article, name, getattr(stored, name))
    return article


@transaction.atomic
def article_submit(*, article: Article, by, at: datetime | None = None) -> Article:
    """Send a draft for review by a second member of staff.

    ``at`` is when it happened, for articles carried over from an earlier site
    (and the demo); now by default."""
    stored = _locked(article)
    if stored.status not in access.EDITABLE:
        raise ValidationError(_("只有草稿或退回修改的文章可以送审。"), code="not_a_draft")
    if not access.can_submit(by, stored):
        raise ValidationError(_("您不能送审这篇文章。"), code="not_yours")
    if not stored.body.strip() and not stored.summary.strip():
        raise ValidationError(_("正文是空的，请写好后再送审。"), code="empty")
    stored.status = S.SUBMITTED
    stored.submitted_by = by
    stored.submitted_at = at or timezone.now()
    _save(stored, by=by, reason=_("送审"))
    return _refresh(article, stored)


def _check_reviewer(by, stored: Article) -> None:
    if stored.status != S.SUBMITTED:
        raise ValidationError(_("只有待审核的文章可以审核。"), code="not_submitted")
    if not (by.is_authenticated and by.is_association_staff):
        raise ValidationError(_("只有科协工作人员可以审核发布文章。"), code="not_staff")
    if access.is_author(by, stored):
        raise ValidationError(
            _("不能审核自己撰写或送审的文章，请由另一位工作人员审核。"), code="own_article"
        )


@transaction.atomic
def article_approve(
    *,
    article: Article,
    by,
    publish_at: datetime | None = None,
    comment: str = "",
    at: datetime | None = None,
) -> Article:
    """Approve a submitted article: public at ``publish_at`` (now when empty or past).

    ``at`` is when the approval happened, for articles carried over from an
    earlier site (and the demo): published at that moment; now by default."""
    stored = _locked(article)
    _check_reviewer(by, stored)
    now = min(at, timezone.now()) if at else timezone.now()
    when = publish_at if publish_at and publish_at > now else now
    stored.publish_at = when
    stored.status = S.SCHEDULED if when > now else S.PUBLISHED
    stored.reviewed_by = by
    stored.reviewed_at = now
    stored.review_comment = (comment or "").strip()
    _save(stored, by=by, reason=_("审核通过") if when <= now else _("审核通过，定时发布"))
    return _refresh(article, stored)


@transaction.atomic
def article_return(*, article: Article, by, comment: str) -> Article:
    """Send a submitted article back to its author with what to change."""
    stored = _locked(article)
    _check_reviewer(by, stored)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("退回时请写明修改意见。")}, code="comment_required")
    stored.status = S.RETURNED
    stored.reviewed_by = by
    stored.reviewed_at = timezone.now()
    stored.review_comment = comment
    _save(stored, by=by, reason=_("退回修改"))
    return _refresh(article, stored)


def article_publish_due(*, now: datetime | None = None) -> int:
    """Mark scheduled articles whose time has come as published (they are
    already public; this records it and puts them in search). Returns how many."""
    now = now or timezone.now()
    count = 0
    due = Article.objects.filter(status=S.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            stored = Article.objects.select_for_update().filter(pk=pk, status=S.SCHEDULED).first()
            if stored is None:
                continue
            stored.status = S.PUBLISHED
            _save(stored, by=None, reason=_("到时发布"))
            count += 1
    return count


@transaction.atomic
def article_withdraw(*, article: Article, by, reason: str) -> Article:
    """Take a published or scheduled article off the site."""
    stored = _locked(article)
    if not access.can_withdraw(by, stored):
        raise ValidationError(_("只有科协工作人员可以撤下已发布的文章。"), code="not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明撤下的原因。")}, code="reason_required")
    stored.status = S.WITHDRAWN
    stored.is_pinned = False
    _save(stored, by=by, reason=_("撤下：%(reason)s") % {"reason": reason})
    return _refresh(article, stored)


@transaction.atomic
def article_reopen(*, article: Article, by) -> Article:
    """A withdrawn article back to draft, to be revised and reviewed again."""
    stored = _locked(article)
    if not access.can_reopen(by, stored):
        raise ValidationError(_("只有已撤下的文章可以重新编辑。"), code="not_withdrawn")
    stored.status = S.DRAFT
    stored.publish_at = None
    _save(stored, by=by, reason=_("重新编辑"))
    return _refresh(article, stored)


@transaction.atomic
def article_correct(*, article: Article, by, note: str) -> Article:
    """Change an approved article; readers see the note with the time.

    ``article`` carries the corrected values; its workflow fields are kept.
    """
    stored = _locked(article)
    if not access.can_correct(by, stored):
        raise ValidationError(_("只有科协工作人员可以更正已发布的文章。"), code="not_allowed")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"correction_note": _("更正已发布的文章时，请写明更正说明，读者会看到。")},
            code="note_required",
        )
    for name in (
        "status", "publish_at", "created_by_id", "created_at", "submitted_by_id",
        "submitted_at", "reviewed_by_id", "reviewed_at", "review_comment",
    ):  # fmt: skip
        setattr(article, name, getattr(stored, name))
    _check_fields(article, by=by)
    _save(article, by=by, reason=_("更正：%(note)s") % {"note": note})
    correction = Correction(article=article, note=note, made_by=by)
    correction.full_clean()
    correction.save()
    return article


@transaction.atomic
def article_delete(*, article: Article, by) -> None:
    """Delete a draft, a returned or a withdrawn article with its files.
    What readers have seen is withdrawn first, so its history stays explained."""
    stored = _locked(article)
    if stored.status not in access.EDITABLE | {S.WITHDRAWN}:
        raise ValidationError(_("已送审或已发布的文章不能删除，请先撤下。"), code="not_deletable")
    if not access.covers(org_scope_for_user(by), stored):
        raise ValidationError(_("您不能删除这篇文章。"), code="not_yours")
    files = [(a.file.storage, a.file.name) for a in stored.attachments.all()]
    stored._history_user = by
    stored.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


# Attachments ------------------------------------------------------------------


def _may_change_files(by, article: Article) -> bool:
    return access.can_edit(by, article) or access.can_correct(by, article)


@transaction.atomic
def attachment_add(*, article: Article, by, upload: UploadedFile, title: str = "") -> Attachment:
    """Store a file after checking its size and, by its content, its type.
    Nothing is stored when a check fails."""
    stored = _locked(article)
    if not _may_change_files(by, stored):
        raise ValidationError(_("这篇文章现在不能添加附件。"), code="not_editable")
    if stored.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("每篇文章最多%(count)d个附件。") % {"count": MAX_ATTACHMENTS},
            code="too_many_attachments",
        )
    checked = check_upload(upload, types=DOCUMENT_TYPES, max_bytes=settings.UPLOAD_MAX_BYTES)
    attachment = Attachment(
        article=stored,
        title=(title or "").strip()[:200] or checked.name,
        original_name=checked.name,
        content_type=checked.mime,
        size=upload.size,
        uploaded_by=by,
        order=stored.attachments.count(),
    )
    attachment.file.save(f"upload.{checked.extension}", upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_update(*, attachment: Attachment, by, title: str, order: int) -> Attachment:
    if not _may_change_files(by, _locked(attachment.article)):
        raise ValidationError(_("这篇文章现在不能修改附件。"), code="not_editable")
    attachment.title = (title or "").strip()[:200] or attachment.original_name
    attachment.order = order
    attachment.full_clean()
    attachment.save(update_fields=["title", "order"])
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    if not _may_change_files(by, _locked(attachment.article)):
        raise ValidationError(_("这篇文章现在不能删除附件。"), code="not_editable")
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
