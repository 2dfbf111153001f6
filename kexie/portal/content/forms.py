from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.inputs import DateTimeLocalInput
from kexie.platform.lib.validators import DOCUMENT_TYPES, check_upload
from kexie.portal.content import services
from kexie.portal.content.models import Article, Attachment
from kexie.portal.content.widgets import RichTextWidget


class ArticleAdminForm(forms.ModelForm):
    correction_note = forms.CharField(
        label=_("更正说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改已发布的文章时必填，会显示在文章末尾。"),
    )

    class Meta:
        model = Article
        fields = [
            "column",
            "title",
            "summary",
            "cover",
            "body",
            "source",
            "author_name",
            "tags",
            "society",
            "branch",
            "is_pinned",
            "closes_at",
            "related_events",
            "related_venues",
            "related_societies",
            "related_needs",
        ]
        widgets = {"body": RichTextWidget()}

    #: The user writing, set by the admin; the service's checks run with it.
    writer = None

    def _post_clean(self):
        super()._post_clean()
        if self.writer is None or self._errors:
            return
        try:
            services.article_check(
                article=self.instance,
                by=self.writer,
                correction_note=self.cleaned_data.get("correction_note", ""),
            )
        except ValidationError as exc:
            self._update_errors(exc)


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that never asks a private file for its URL (it has none);
    the admin links the stored file through its download view instead."""

    def is_initial(self, value):
        return False


class AttachmentInlineForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "title", "order"]
        widgets = {"file": PrivateFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if self.instance.pk:
            # A stored file is replaced by deleting the row and uploading anew.
            self.fields["file"].disabled = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and not self.instance.pk:
            check_upload(upload, types=DOCUMENT_TYPES, max_bytes=settings.UPLOAD_MAX_BYTES)
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("通过")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    publish_at = forms.DateTimeField(
        label=_("发布时间"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("留空则立即发布；填写将来的时间则到时自动发布。"),
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填，撰稿人会看到。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("退回时请写明修改意见。"))
        publish_at = cleaned.get("publish_at")
        if publish_at and publish_at < timezone.now() - timedelta(minutes=5):
            self.add_error("publish_at", _("发布时间不能早于现在；立即发布请留空。"))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤下原因"), widget=forms.Textarea(attrs={"rows": 2}))
