"""Uploading, describing and deleting pictures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kexie.platform.lib.storage import PublicStorage
from kexie.platform.lib.validators import IMAGE_TYPES, check_upload
from kexie.platform.pictures import renditions
from kexie.platform.pictures.models import Picture


def _open(upload: UploadedFile) -> Image.Image:
    """The uploaded image, decoded and turned upright; refused when it is not
    an image Pillow can read or is too large to decode safely."""
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > renditions.MAX_PIXELS:
                raise ValidationError(
                    _("图片尺寸过大（%(width)d×%(height)d），请缩小到4000万像素以内再上传。")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("无法读取这张图片，文件可能已损坏。"), code="bad_image") from exc
    finally:
        upload.seek(0)
    return ImageOps.exif_transpose(image)


def picture_check(upload: UploadedFile) -> None:
    """The checks of ``picture_create`` on the file alone (forms show them)."""
    check_upload(upload, types=IMAGE_TYPES, max_bytes=settings.UPLOAD_MAX_BYTES)
    _open(upload)


@transaction.atomic
def picture_create(
    *,
    upload: UploadedFile,
    alt: str,
    by,
    caption: str = "",
    credit: str = "",
    original_private: bool = False,
    instance: Picture | None = None,
) -> Picture:
    """Store an image with its renditions. ``instance`` is an unsaved picture
    to fill (the admin's form); a new one otherwise. Nothing stays on disk
    when a check fails."""
    checked = check_upload(upload, types=IMAGE_TYPES, max_bytes=settings.UPLOAD_MAX_BYTES)
    image = _open(upload)
    picture = instance or Picture()
    picture.alt = (alt or "").strip()
    picture.caption = (caption or "").strip()
    picture.credit = (credit or "").strip()
    picture.original_private = original_private
    picture.width, picture.height = image.size
    picture.uploaded_by = by
    if not picture.alt:
        raise ValidationError({"alt": _("请填写图片的替代文本。")}, code="no_alt")
    storage = PublicStorage()
    written = []
    try:
        for rendition in renditions.render(image):
            if not storage.exists(rendition.name):
                storage.save(rendition.name, ContentFile(rendition.data))
                written.append(rendition.name)
            picture.renditions[rendition.size] = {
                "name": rendition.name,
                "width": rendition.width,
                "height": rendition.height,
                "bytes": len(rendition.data),
            }
        picture.original.save(f"upload.{checked.extension}", upload, save=False)
        picture.full_clean()
        picture.save()
    except Exception:
        for name in written:
            storage.delete(name)
        if picture.original.name:
            picture.original.delete(save=False)
        raise
    return picture


@transaction.atomic
def picture_describe(
    *, picture: Picture, alt: str, caption: str = "", credit: str = "", original_private: bool
) -> Picture:
    picture.alt = (alt or "").strip()
    picture.caption = (caption or "").strip()
    picture.credit = (credit or "").strip()
    picture.original_private = original_private
    picture.full_clean()
    picture.save(update_fields=["alt", "caption", "credit", "original_private"])
    return picture


@transaction.atomic
def picture_delete(*, picture: Picture) -> None:
    """Delete a picture and its files; a rendition file another picture has
    too (the same image uploaded twice) stays."""
    names = [found["name"] for found in picture.renditions.values()]
    original = (picture.original.storage, picture.original.name)
    pk = picture.pk
    picture.delete()

    def remove():
        storage = PublicStorage()
        for name in names:
            if not any(
                Picture.objects.filter(**{f"renditions__{size}__name": name}).exclude(pk=pk)
                for size in renditions.SIZES
            ):
                storage.delete(name)
        original[0].delete(original[1])

    transaction.on_commit(remove)
