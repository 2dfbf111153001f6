"""Demo articles: a dozen per column, written for Pinghu from the facts of the
association's five-year report (``news.json``, ``notices.json``,
``policy.json``, ``science.json`` beside this file). Covers and pictures in
the text are drawn with Pillow (``kexie.platform.pictures.drawing``), the
notices' application forms are PDFs made with reportlab. Each article is
written by the demo staff member, submitted, and approved by a second one
(``reviewer@demo.kexie``) through the services, at the moment it says it was
published; one more waits for the reviewer and one is returned to its writer.
Safe to run again: an article whose title exists is left alone."""

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape, format_html

from kexie.platform.accounts.models import User
from kexie.platform.pictures import drawing
from kexie.platform.pictures.models import Picture
from kexie.platform.pictures.services import picture_create
from kexie.portal.content import services
from kexie.portal.content.models import Article, Column

HERE = Path(__file__).resolve().parent
FILES = ("news.json", "notices.json", "policy.json", "science.json")
WRITER_EMAIL = "staff@demo.kexie"
REVIEWER_EMAIL = "reviewer@demo.kexie"
DEMO_PASSWORD = "kexie-demo-2026"  # noqa: S105  (the demo's one password, printed by make run)


def drawn_cover(*, spec: dict, label: str, by, seed: int) -> Picture:
    data = drawing.cover(
        title=spec["text"], label=label, motif=spec["motif"], palette=spec["palette"], seed=seed
    )
    return picture_create(
        upload=SimpleUploadedFile("cover.jpg", data, content_type="image/jpeg"),
        alt=drawing.alt_text(spec["motif"], spec["text"]),
        caption=spec.get("caption", ""),
        credit="演示插画",
        by=by,
    )


def seed(*, stdout) -> None:
    writer = User.objects.get(email=WRITER_EMAIL)
    reviewer = _reviewer()
    columns = {column.slug: column for column in Column.objects.all()}
    existing = set(Article.objects.values_list("title", flat=True))
    now = timezone.now()
    created = 0
    for number, item in enumerate(_items()):
        if item["title"] in existing:
            continue
        _article(item, columns[item["column"]], writer, reviewer, now, seed=number)
        created += 1
    stdout.write(
        f"  content: {Article.objects.public().count()} public articles ({created} new) in "
        f"{len(columns)} columns; reviewer log-in: {REVIEWER_EMAIL} / {DEMO_PASSWORD}"
    )


def _items() -> list[dict]:
    items = []
    for name in FILES:
        items += json.loads((HERE / name).read_text(encoding="utf-8"))
    return items


def _reviewer() -> User:
    """The second member of staff, who approves what the first one writes."""
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    if reviewer is None:
        reviewer = User.objects.create_user(
            email=REVIEWER_EMAIL,
            password=DEMO_PASSWORD,
            name="审核人（演示）",
            role=User.Role.STAFF,
            is_staff=True,
        )
    return reviewer


def _published_at(now: datetime, days_ago: int) -> datetime:
    local = timezone.localtime(now) - timedelta(days=days_ago)
    return local.replace(
        hour=9 + days_ago % 7, minute=(days_ago * 13) % 60, second=0, microsecond=0
    )


def _body(item: dict, figure: Picture | None) -> str:
    parts = []
    for paragraph in item["body"]:
        # Lists, tables and headings are written as HTML; plain text is a paragraph.
        parts.append(paragraph if paragraph.startswith("<") else f"<p>{escape(paragraph)}</p>")
    if figure is not None:
        detail = figure.rendition("detail")
        parts.insert(
            min(2, len(parts)),
            format_html(
                '<figure><img src="{}" alt="{}" width="{}" height="{}"><figcaption>{}</figcaption>'
                "</figure>",
                figure.url("detail"),
                figure.alt,
                detail["width"],
                detail["height"],
                figure.caption,
            ),
        )
    return "\n".join(parts)


def _article(item, column, writer, reviewer, now, *, seed: int) -> Article:
    published = _published_at(now, item["days_ago"])
    cover = figure = None
    if "cover" in item:
        cover = drawn_cover(spec=item["cover"], label=column.name, by=writer, seed=seed)
    if "figure" in item:
        figure = drawn_cover(spec=item["figure"], label="", by=writer, seed=seed + 500)
    fields = {
        "summary": item.get("summary", ""),
        "source": item.get("source", ""),
        "cover": cover,
        "created_at": published - timedelta(days=1),
    }
    if column.allows_pinning:
        fields["is_pinned"] = item.get("pinned", False)
        if "closes_in_days" in item:
            closes = timezone.localtime(now) + timedelta(days=item["closes_in_days"])
            fields["closes_at"] = closes.replace(hour=17, minute=0, second=0, microsecond=0)
    article = services.article_create(
        column=column,
        title=item["title"],
        by=writer,
        body=_body(item, figure),
        tags=item.get("tags", []),
        **fields,
    )
    if "attachment" in item:
        spec = item["attachment"]
        services.attachment_add(
            article=article,
            by=writer,
            upload=SimpleUploadedFile(
                f"{spec['title'].split('：')[-1]}.pdf",
                _form_pdf(spec["title"], spec["fields"]),
                content_type="application/pdf",
            ),
            title=spec["title"],
        )
    # Two stay in the workflow, so the workbench has something to show: one
    # waiting for the reviewer, one returned to the writer with a comment.
    state = item.get("state", "published")
    if state == "draft":
        return article
    services.article_submit(article=article, by=writer, at=published - timedelta(hours=3))
    if state == "returned":
        services.article_return(article=article, by=reviewer, comment=item["comment"])
    elif state == "published":
        services.article_approve(article=article, by=reviewer, at=published)
    return article


def _form_pdf(title: str, fields: list[str]) -> bytes:
    """An application form to print and fill in: the title and a table of
    fields with room to write."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 30 * mm, title.split("：")[-1])
    top, left, right = height - 45 * mm, 20 * mm, width - 20 * mm
    row = min(24 * mm, (top - 30 * mm) / max(len(fields), 1))
    pdf.setFont(font, 11)
    for index, field in enumerate(fields):
        y = top - index * row
        pdf.rect(left, y - row, right - left, row)
        pdf.line(left + 45 * mm, y, left + 45 * mm, y - row)
        pdf.drawString(left + 3 * mm, y - 8 * mm, field)
    pdf.setFont(font, 9)
    pdf.drawString(left, 15 * mm, "平湖市科学技术协会（演示表格）")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
