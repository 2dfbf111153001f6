"""The printable A4 certificate as a PDF, drawn with reportlab.

Chinese text needs a CJK font. A TrueType font installed on the machine
(``CERTIFICATE_FONT_PATH``; by default Debian's fonts-wqy-microhei) is
embedded (only the glyphs used), so the PDF looks the same on every phone and
printer. Without one, reportlab's built-in CID font STSong-Light is named
instead: it needs nothing on the server, and PDF viewers supply the glyphs
from their own Chinese fonts. The QR code is drawn as vector squares from
segno's matrix, so it prints sharp at any size.
"""

import io
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kexie.platform.lib.site import site_name
from outreach.models import Certificate

GOLD = HexColor("#8a6d1d")
INK = HexColor("#222222")


@lru_cache(maxsize=1)
def certificate_font() -> str:
    """Register and return the name of the font the certificate is set in."""
    path = Path(settings.CERTIFICATE_FONT_PATH) if settings.CERTIFICATE_FONT_PATH else None
    if path and path.is_file():
        pdfmetrics.registerFont(TTFont("KexieCJK", str(path), subfontIndex=0))
        return "KexieCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


#: The widest a centred line may be: inside the inner border, with a margin.
LINE_WIDTH = A4[0] - 40 * mm


def fitted_size(text: str, font: str, size: float, width: float = LINE_WIDTH) -> float:
    """The font size at which ``text`` fits in ``width``: ``size``, or smaller for
    a line too long at it (an English line, a long event title)."""
    natural = pdfmetrics.stringWidth(text, font, size)
    return size if natural <= width else size * width / natural


def _centred(pdf, text: str, y: float, size: float, font: str, colour=INK) -> None:
    pdf.setFont(font, fitted_size(text, font, size))
    pdf.setFillColor(colour)
    pdf.drawCentredString(A4[0] / 2, y, text)


def _qr(pdf, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m")
    matrix = list(qr.matrix_iter(border=2))
    cell = size / len(matrix)
    pdf.setFillColor(HexColor("#000000"))
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                pdf.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell, stroke=0, fill=1)


def certificate_pdf(certificate: Certificate, *, check_url: str) -> bytes:
    font = certificate_font()
    registration = certificate.registration
    event = registration.event
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("参加证明") + f" {certificate.number}")
    pdf.setAuthor(site_name())
    width, height = A4
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(1)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    _centred(pdf, site_name(), height - 45 * mm, 16, font, GOLD)
    _centred(pdf, _("参加证明"), height - 70 * mm, 34, font)
    _centred(pdf, certificate.holder_name, height - 100 * mm, 24, font)
    lines = [
        _("参加了%(organiser)s举办的科普活动") % {"organiser": site_name()},
        f"“{event.title}”",
        _("活动时间：%(date)s")
        % {"date": date_format(timezone.localtime(event.starts_at), "DATE_FORMAT")},
    ]
    if event.venue_id:
        lines.append(_("活动地点：%(place)s") % {"place": event.venue.name})
    if certificate.people > 1:
        lines.append(_("签到人数：%(n)s人") % {"n": certificate.people})
    if certificate.hours:
        lines.append(_("志愿/实践时长：%(hours)s小时") % {"hours": certificate.hours.normalize()})
    y = height - 120 * mm
    for line in lines:
        _centred(pdf, line, y, 14, font)
        y -= 10 * mm
    _centred(pdf, _("特发此证。"), y - 4 * mm, 14, font)

    qr_size = 36 * mm
    _qr(pdf, check_url, 28 * mm, 30 * mm, qr_size)
    pdf.setFont(font, 9)
    pdf.setFillColor(INK)
    pdf.drawString(28 * mm, 25 * mm, _("扫码验证真伪"))
    pdf.drawString(28 * mm, 20 * mm, _("证书编号：%(n)s") % {"n": certificate.number})
    pdf.setFont(font, 14)
    pdf.drawRightString(width - 30 * mm, 50 * mm, site_name())
    pdf.drawRightString(
        width - 30 * mm,
        40 * mm,
        date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT"),
    )
    if certificate.is_revoked:
        pdf.saveState()
        pdf.setFillColor(HexColor("#c0392b"))
        pdf.setFont(font, 60)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(30)
        pdf.drawCentredString(0, 0, _("已撤销"))
        pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
