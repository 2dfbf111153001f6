"""The sizes pages show, made once at upload with Pillow.

Lists show ``thumb`` only (never a full-size image); an article or event page
shows ``detail``; link previews on social apps get ``social``. Each file is
named by the SHA-256 of its bytes, so a URL always means the same picture and
is served with a one-year ``immutable`` cache lifetime.
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    crop: bool  # fill the box exactly (cropped from the centre), or fit inside it
    format: str
    quality: int

    @property
    def extension(self) -> str:
        return {"WEBP": "webp", "JPEG": "jpg"}[self.format]


SIZES = {
    "thumb": Size(480, 320, crop=True, format="WEBP", quality=76),
    "detail": Size(1200, 1200, crop=False, format="WEBP", quality=82),
    "social": Size(1200, 630, crop=True, format="JPEG", quality=82),
}
#: Larger images are refused before they are decoded (a "decompression bomb").
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Rendition:
    size: str
    data: bytes
    width: int
    height: int
    extension: str

    @property
    def name(self) -> str:
        digest = hashlib.sha256(self.data).hexdigest()
        return f"pictures/{digest[:2]}/{digest[2:22]}.{self.extension}"


def _flatten(image: Image.Image, *, keep_alpha: bool) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        if keep_alpha:
            return rgba
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def render(image: Image.Image) -> list[Rendition]:
    """Every size of ``image`` (already opened and rotated upright)."""
    made = []
    for name, size in SIZES.items():
        picture = _flatten(image, keep_alpha=size.format == "WEBP")
        if size.crop:
            picture = ImageOps.fit(picture, (size.width, size.height), Image.Resampling.LANCZOS)
        else:
            picture = picture.copy()
            picture.thumbnail((size.width, size.height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        options = {"quality": size.quality}
        if size.format == "JPEG":
            options.update(optimize=True, progressive=True)
        else:
            options.update(method=4)
        picture.save(buffer, size.format, **options)
        made.append(
            Rendition(name, buffer.getvalue(), picture.width, picture.height, size.extension)
        )
    return made
