"""Pictures: an uploaded image with its alternative text, resized on upload
into the sizes the pages need (``renditions.SIZES``).

The original is kept under ``PRIVATE_MEDIA_ROOT`` and is reachable only
through a view that answers 404 when the uploader asked to keep it private;
the renditions are public files under ``MEDIA_ROOT/pictures/``, named by the
hash of their content, so they can be cached for ever.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kexie.platform.lib.storage import PrivateStorage, PublicStorage


def original_path(instance: "Picture", filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"pictures/{uuid.uuid4().hex}{suffix}"


class Picture(models.Model):
    original = models.FileField(
        _("原图"), upload_to=original_path, storage=PrivateStorage(), max_length=200, editable=False
    )
    alt = models.CharField(
        _("替代文本"),
        max_length=200,
        help_text=_("用一句话说明图片里是什么，供视障读者和图片无法显示时使用。必填。"),
    )
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    credit = models.CharField(_("摄影/来源"), max_length=100, blank=True)
    original_private = models.BooleanField(
        _("原图不公开"),
        default=False,
        help_text=_("勾选后只公开压缩后的图片，原图不能通过任何网址下载。"),
    )
    width = models.PositiveIntegerField(_("原图宽度"), editable=False)
    height = models.PositiveIntegerField(_("原图高度"), editable=False)
    #: size name → {"name": path under MEDIA_ROOT, "width": …, "height": …, "bytes": …}
    renditions = models.JSONField(_("各尺寸图片"), default=dict, editable=False)
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
        verbose_name = _("图片")
        verbose_name_plural = pgettext_lazy("several", "图片")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt=""),
                name="picture_has_alt",
                violation_error_message=_("请填写图片的替代文本。"),
            ),
        ]

    def __str__(self):
        return self.alt

    def get_absolute_url(self):
        return self.url("detail")

    def rendition(self, size: str) -> dict | None:
        return self.renditions.get(size)

    def url(self, size: str) -> str:
        found = self.renditions.get(size)
        return PublicStorage().url(found["name"]) if found else ""

    def original_url(self) -> str:
        """Empty when the original is private: it has no address at all."""
        if self.original_private:
            return ""
        return reverse("pictures:original", args=[self.pk])
