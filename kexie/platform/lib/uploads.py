"""What an uploaded file really is, read deeply: a picture must decode whole
and be nothing else; a PDF must be a PDF and nothing else.

A polyglot is a file that two programs read as two formats: a PNG with a PDF
or an HTML page inside or after it, a PDF that is also a ZIP. The type guess
from the first bytes (``filetype``) says PNG and stops there. Here a picture
is decoded to its last pixel by Pillow and must end where its format ends,
with no other format's signature where a reader or a browser looks for one;
public pictures are then re-encoded (``VerifiedImageField``), which keeps the
pixels and drops everything else (metadata, appended data).
"""

import io
import os

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image

#: Pillow's format names for the picture types the portal accepts.
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
# Where PDF readers (first 1,024 bytes) and browsers (first 512) look for
# their format: none of these may appear there in a file of another type.
_FOREIGN_HEADS = (b"%pdf-", b"<html", b"<!doctype", b"<script", b"<svg", b"<body", b"<?php")
# A ZIP reader finds its directory in the last 64 KB (end-of-directory record).
_ZIP_END = b"PK\x05\x06"
_PNG_END = b"IEND\xaeB`\x82"


def _refuse() -> ValidationError:
    return ValidationError(
        _("文件内容不完整或混有其他格式的内容，请重新导出后上传。"), code="file_polyglot"
    )


def _foreign_head(data: bytes, own: bytes = b"") -> bool:
    head = data[:1024].lower()
    return any(marker in head for marker in _FOREIGN_HEADS if marker != own)


def check_content(data: bytes, mime: str) -> None:
    """Raise a translated ``ValidationError`` unless ``data`` is wholly a file
    of type ``mime`` (images and PDF are read deeply; others as guessed)."""
    if mime in IMAGE_FORMATS:
        _check_image(data, IMAGE_FORMATS[mime])
    elif mime == "application/pdf":
        if not data.startswith(b"%PDF-") or _foreign_head(data, own=b"%pdf-"):
            raise _refuse()
        # A ZIP (JAR, DOCX …) is read from its end: a PDF carrying one is both.
        if _ZIP_END in data[-(65536 + 22) :]:
            raise _refuse()


def _check_image(data: bytes, expected: str) -> None:
    if _foreign_head(data):
        raise _refuse()
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.load()  # every pixel: a truncated or padded stream fails here
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _refuse() from None
    if found != expected:
        raise _refuse()
    # Nothing after the end of the picture (where a second file is usually put).
    tail = data.rstrip(b"\x00")
    if expected == "PNG" and not tail.endswith(_PNG_END):
        raise _refuse()
    if expected == "JPEG" and not tail.endswith(b"\xff\xd9"):
        raise _refuse()
    if expected == "GIF" and not tail.endswith(b"\x3b"):
        raise _refuse()


def reencode_image(data: bytes) -> tuple[bytes, str]:
    """The picture's pixels written anew in its own format (no metadata, no
    appended data), with its Pillow format name."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        found = image.format
        out = io.BytesIO()
        if found == "JPEG":
            image.save(out, "JPEG", quality=90)
        elif found == "GIF":
            image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
        else:
            image.save(out, found)
    return out.getvalue(), found


class VerifiedImageFormField(forms.ImageField):
    """Django's image field (the picture opens), then ``check_content`` and a
    re-encoded copy in place of the upload."""

    def to_python(self, data):
        checked = super().to_python(data)
        if checked is None:
            return None
        checked.seek(0)
        raw = checked.read()
        mime = next((m for m, name in IMAGE_FORMATS.items() if name == checked.image.format), None)
        if mime is None:
            raise ValidationError(_("只能上传 PNG、JPEG、GIF 或 WebP 图片。"), code="invalid_image")
        check_content(raw, mime)
        content, _format = reencode_image(raw)
        name = os.path.basename(checked.name or "image")
        return SimpleUploadedFile(name, content, content_type=mime)


class VerifiedImageField(models.ImageField):
    """A model ``ImageField`` whose forms (admin included) use
    ``VerifiedImageFormField``. Stored and migrated as a plain ImageField."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": VerifiedImageFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
