"""Pictures drawn with Pillow for the demo: soft gradients, a few shapes for
the subject (a rocket, a leaf, a building …) and the title in Chinese.

Nothing is downloaded. The title is drawn with the CJK font of the
certificates (``CERTIFICATE_FONT_PATH``, Debian's wqy-microhei); without it
the picture carries its shapes only, which still reads as an illustration.
"""

import io
import math
import random
from functools import lru_cache

from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

#: name → (top colour, bottom colour, accent)
PALETTES = {
    "blue": ((11, 79, 138), (28, 126, 214), (255, 214, 102)),
    "night": ((10, 20, 60), (40, 60, 130), (255, 200, 90)),
    "green": ((22, 101, 52), (120, 190, 90), (255, 236, 150)),
    "teal": ((8, 90, 100), (60, 170, 170), (255, 220, 120)),
    "red": ((150, 28, 36), (226, 90, 60), (255, 228, 150)),
    "orange": ((190, 80, 20), (250, 170, 60), (255, 255, 220)),
    "purple": ((60, 40, 120), (130, 90, 200), (255, 210, 120)),
    "slate": ((40, 55, 75), (110, 130, 160), (250, 220, 140)),
}
MOTIFS = (
    "rocket",
    "atom",
    "leaf",
    "building",
    "document",
    "health",
    "gear",
    "wave",
    "chip",
    "people",
    "book",
    "star",
)
#: What each subject shows, for the pictures' alternative text.
MOTIF_ALT = {
    "rocket": "火箭升空与星空",
    "atom": "原子轨道图案",
    "leaf": "绿叶与田野",
    "building": "城市楼群",
    "document": "一叠文件",
    "health": "医疗十字与心电线",
    "gear": "齿轮",
    "wave": "海浪与太阳",
    "chip": "芯片",
    "people": "三个人像剪影",
    "book": "翻开的书页",
    "star": "星形图案",
}


def alt_text(motif: str, text: str = "") -> str:
    """The alternative text of a drawn picture: what it shows and what it says."""
    shown = f"示意插画：{MOTIF_ALT.get(motif, '图案')}"
    return f"{shown}，配文“{text}”" if text else shown


@lru_cache(maxsize=8)
def _font(size: int):
    try:
        return ImageFont.truetype(settings.CERTIFICATE_FONT_PATH, size)
    except OSError:
        return None


def has_cjk_font() -> bool:
    return _font(20) is not None


def _gradient(size, top, bottom) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(ramp, top, bottom).convert("RGBA")


def _glow(size, rng: random.Random) -> Image.Image:
    """Large soft light spots, as in a photograph out of focus."""
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    width, height = size
    for _ in range(5):
        radius = rng.randint(height // 6, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius),
            fill=(255, 255, 255, rng.randint(18, 40)),
        )
    return layer.filter(ImageFilter.GaussianBlur(radius=height // 14))


def _motif(draw: ImageDraw.ImageDraw, motif: str, box, accent, rng: random.Random) -> None:
    """The subject, in white and the accent colour, inside ``box``."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    r = min(x1 - x0, y1 - y0) / 2
    white = (255, 255, 255, 235)
    soft = (255, 255, 255, 90)
    line = max(3, int(r / 28))
    if motif == "rocket":
        for _ in range(40):
            sx, sy = rng.uniform(x0 - r, x1 + r), rng.uniform(y0 - r, y1)
            s = rng.uniform(1, 3)
            draw.ellipse((sx - s, sy - s, sx + s, sy + s), fill=white)
        draw.ellipse((cx + r * 0.3, cy + r * 0.35, cx + r * 1.3, cy + r * 1.35), fill=soft)
        body = [
            (cx, cy - r),
            (cx + r * 0.28, cy - r * 0.45),
            (cx + r * 0.28, cy + r * 0.5),
            (cx - r * 0.28, cy + r * 0.5),
            (cx - r * 0.28, cy - r * 0.45),
        ]
        draw.polygon(body, fill=white)
        draw.polygon(
            [
                (cx - r * 0.28, cy + r * 0.1),
                (cx - r * 0.55, cy + r * 0.6),
                (cx - r * 0.28, cy + r * 0.5),
            ],
            fill=accent,
        )
        draw.polygon(
            [
                (cx + r * 0.28, cy + r * 0.1),
                (cx + r * 0.55, cy + r * 0.6),
                (cx + r * 0.28, cy + r * 0.5),
            ],
            fill=accent,
        )
        draw.ellipse((cx - r * 0.12, cy - r * 0.45, cx + r * 0.12, cy - r * 0.21), fill=accent)
        draw.polygon(
            [(cx - r * 0.18, cy + r * 0.5), (cx, cy + r * 0.95), (cx + r * 0.18, cy + r * 0.5)],
            fill=(255, 160, 60, 230),
        )
    elif motif == "atom":
        for angle in (0, 60, 120):
            layer_points = []
            for step in range(73):
                t = math.radians(step * 5)
                px, py = r * math.cos(t), r * 0.38 * math.sin(t)
                a = math.radians(angle)
                layer_points.append(
                    (
                        cx + px * math.cos(a) - py * math.sin(a),
                        cy + px * math.sin(a) + py * math.cos(a),
                    )
                )
            draw.line(layer_points, fill=white, width=line)
        draw.ellipse((cx - r * 0.14, cy - r * 0.14, cx + r * 0.14, cy + r * 0.14), fill=accent)
    elif motif == "leaf":
        draw.ellipse((x0 - r, y1 - r * 0.5, x1 + r, y1 + r * 1.5), fill=soft)
        for tilt, scale, colour in ((-0.6, 1.0, white), (0.5, 0.75, soft)):
            outline = []
            for step in range(41):
                t = step / 40
                along = (t - 0.5) * 2 * r * scale
                across = math.sin(math.pi * t) * r * 0.42 * scale
                outline.append((along, across))
            outline += [(along, -across) for along, across in reversed(outline)]
            outline = [
                (
                    cx + a * math.cos(tilt) - b * math.sin(tilt),
                    cy + a * math.sin(tilt) + b * math.cos(tilt),
                )
                for a, b in outline
            ]
            draw.polygon(outline, fill=colour)
        draw.line(
            [
                (cx - r * math.cos(-0.6), cy - r * math.sin(-0.6)),
                (cx + r * math.cos(-0.6), cy + r * math.sin(-0.6)),
            ],
            fill=accent,
            width=line,
        )
        draw.ellipse((x1 - r * 0.4, y0 - r * 0.1, x1, y0 + r * 0.3), fill=accent)
    elif motif == "building":
        base = y1
        heights = [0.9, 1.4, 1.1, 1.7, 0.8, 1.2]
        width = (x1 - x0) / len(heights)
        for index, h in enumerate(heights):
            left = x0 + index * width
            top = base - r * h
            draw.rectangle(
                (left + 4, top, left + width - 4, base), fill=white if index % 2 else soft
            )
            for wy in range(int(top + 14), int(base - 10), 26):
                draw.rectangle((left + width * 0.3, wy, left + width * 0.45, wy + 10), fill=accent)
        draw.ellipse((x1 - r * 0.6, y0 - r * 0.2, x1 - r * 0.2, y0 + r * 0.2), fill=accent)
    elif motif in ("document", "book"):
        for offset in (0.16, 0):
            left, top = cx - r * 0.6 + r * offset, cy - r * 0.85 - r * offset
            draw.rounded_rectangle(
                (left, top, left + r * 1.2, top + r * 1.6),
                radius=r * 0.06,
                fill=soft if offset else white,
            )
        for row in range(6):
            ly = cy - r * 0.55 + row * r * 0.22
            draw.line(
                [(cx - r * 0.4, ly), (cx + r * (0.4 if row % 3 else 0.1), ly)],
                fill=(60, 80, 110, 200),
                width=line,
            )
        draw.ellipse((cx + r * 0.15, cy + r * 0.4, cx + r * 0.55, cy + r * 0.8), fill=accent)
    elif motif == "health":
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=soft)
        arm = r * 0.28
        draw.rectangle((cx - arm, cy - r * 0.7, cx + arm, cy + r * 0.7), fill=white)
        draw.rectangle((cx - r * 0.7, cy - arm, cx + r * 0.7, cy + arm), fill=white)
        draw.line(
            [
                (cx - r * 0.9, cy + r * 0.05),
                (cx - r * 0.3, cy + r * 0.05),
                (cx - r * 0.15, cy - r * 0.3),
                (cx + r * 0.05, cy + r * 0.35),
                (cx + r * 0.2, cy + r * 0.05),
                (cx + r * 0.9, cy + r * 0.05),
            ],
            fill=accent,
            width=line * 2,
        )
    elif motif == "gear":
        teeth = 10
        points = []
        for step in range(teeth * 4):
            angle = 2 * math.pi * step / (teeth * 4)
            radius = r if step % 4 in (0, 1) else r * 0.8
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        draw.polygon(points, fill=white)
        draw.ellipse((cx - r * 0.35, cy - r * 0.35, cx + r * 0.35, cy + r * 0.35), fill=accent)
    elif motif == "wave":
        left = x0 - (x1 - x0) * 1.4
        for band in range(4):
            points = [(left, y1)]
            for step in range(61):
                px = left + step * (x1 + r - left) / 60
                points.append((px, cy + band * r * 0.28 + math.sin(step / 3 + band) * r * 0.12))
            points.append((x1 + r, y1 + r))
            points.append((left, y1 + r))
            draw.polygon(points, fill=(255, 255, 255, 60 + band * 40))
        draw.ellipse((cx - r * 0.3, y0, cx + r * 0.3, y0 + r * 0.6), fill=accent)
    elif motif == "chip":
        draw.rounded_rectangle(
            (cx - r * 0.55, cy - r * 0.55, cx + r * 0.55, cy + r * 0.55),
            radius=r * 0.08,
            fill=white,
        )
        draw.rectangle((cx - r * 0.25, cy - r * 0.25, cx + r * 0.25, cy + r * 0.25), fill=accent)
        for index in range(5):
            offset = -r * 0.4 + index * r * 0.2
            for a, b in (
                ((cx + offset, cy - r * 0.55), (cx + offset, cy - r * 0.9)),
                ((cx + offset, cy + r * 0.55), (cx + offset, cy + r * 0.9)),
                ((cx - r * 0.55, cy + offset), (cx - r * 0.9, cy + offset)),
                ((cx + r * 0.55, cy + offset), (cx + r * 0.9, cy + offset)),
            ):
                draw.line([a, b], fill=white, width=line)
    elif motif == "people":
        for index, scale in enumerate((0.8, 1.0, 0.8)):
            px = cx + (index - 1) * r * 0.7
            head = r * 0.22 * scale
            draw.ellipse(
                (px - head, cy - r * 0.5 * scale - head, px + head, cy - r * 0.5 * scale + head),
                fill=white if index == 1 else soft,
            )
            draw.pieslice(
                (px - r * 0.4 * scale, cy - r * 0.15, px + r * 0.4 * scale, cy + r * 0.75 * scale),
                180,
                360,
                fill=white if index == 1 else soft,
            )
        draw.rectangle((x0, cy + r * 0.3, x1, cy + r * 0.36), fill=accent)
    else:  # star
        points = []
        for step in range(10):
            angle = -math.pi / 2 + step * math.pi / 5
            radius = r if step % 2 == 0 else r * 0.42
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        draw.polygon(points, fill=accent)


def _text(draw, xy, text, size, fill, anchor="la", max_width=None) -> int:
    """Draw ``text`` (shrunk to fit ``max_width``); the height used."""
    font = _font(size)
    if font is None or not text:
        return 0
    while max_width and size > 14 and draw.textlength(text, font=font) > max_width:
        size -= 2
        font = _font(size)
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)
    return size


def _wrap(draw, text: str, size: int, max_width: float, lines: int = 3) -> list[str]:
    """Chinese has no spaces: break by width, character by character."""
    font = _font(size)
    if font is None:
        return []
    rows, current = [], ""
    for char in text:
        if draw.textlength(current + char, font=font) > max_width and current:
            rows.append(current)
            current = char
        else:
            current += char
    if current:
        rows.append(current)
    return rows[:lines]


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=86)
    return buffer.getvalue()


def cover(
    *,
    title: str = "",
    label: str = "",
    motif: str = "star",
    palette: str = "blue",
    seed: int = 0,
    size=(1200, 800),
) -> bytes:
    """A landscape picture (article cover, event cover, venue photo): the
    subject on the right, the title in a band at the bottom left. JPEG bytes."""
    rng = random.Random(seed)
    top, bottom, accent = PALETTES.get(palette, PALETTES["blue"])
    width, height = size
    image = _gradient(size, top, bottom)
    image.alpha_composite(_glow(size, rng))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    box = (width * 0.52, height * 0.12, width * 0.92, height * 0.72)
    _motif(draw, motif, box, accent + (235,), rng)
    if title or label:
        draw.rectangle((0, height * 0.74, width, height), fill=(0, 0, 0, 70))
    image.alpha_composite(layer)
    draw = ImageDraw.Draw(image)
    if label:
        _text(draw, (width * 0.05, height * 0.1), label, height // 18, accent + (255,))
    if title:
        _text(
            draw,
            (width * 0.05, height * 0.87),
            title,
            height // 11,
            (255, 255, 255, 255),
            anchor="lm",
            max_width=width * 0.9,
        )
    return _encode(image)


def poster(
    *,
    title: str,
    lines: tuple[str, ...] = (),
    motif: str = "star",
    palette: str = "blue",
    seed: int = 0,
    size=(900, 1260),
) -> bytes:
    """A portrait event poster: the subject at the top, the title large, then
    the date and place. JPEG bytes."""
    rng = random.Random(seed)
    top, bottom, accent = PALETTES.get(palette, PALETTES["blue"])
    width, height = size
    image = _gradient(size, top, bottom)
    image.alpha_composite(_glow(size, rng))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _motif(
        draw, motif, (width * 0.2, height * 0.08, width * 0.8, height * 0.46), accent + (235,), rng
    )
    draw.rounded_rectangle(
        (width * 0.06, height * 0.56, width * 0.94, height * 0.94),
        radius=24,
        fill=(255, 255, 255, 38),
    )
    image.alpha_composite(layer)
    draw = ImageDraw.Draw(image)
    size_title = width // 12
    y = height * 0.6
    for row in _wrap(draw, title, size_title, width * 0.8):
        _text(draw, (width * 0.1, y), row, size_title, (255, 255, 255, 255))
        y += size_title * 1.3
    y += size_title * 0.4
    draw.line([(width * 0.1, y), (width * 0.3, y)], fill=accent + (255,), width=6)
    y += size_title * 0.6
    for line in lines:
        _text(
            draw, (width * 0.1, y), line, width // 26, (255, 255, 255, 235), max_width=width * 0.8
        )
        y += width // 26 * 1.6
    return _encode(image)
