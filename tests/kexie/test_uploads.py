"""Issue 18, finding 15: polyglot PDF/PNG uploads were accepted (the type was
guessed from the first bytes only). Pictures are decoded whole and must end
where their format ends; PDFs must be PDFs and nothing else; public pictures
are re-encoded.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from kexie.platform.lib.uploads import VerifiedImageFormField, check_content
from kexie.platform.lib.validators import DOCUMENT_TYPES, check_upload

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"
ZIP_END = b"PK\x05\x06" + b"\x00" * 18


def _image(fmt="PNG", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, fmt, **save)
    return buffer.getvalue()


def _png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return _image("PNG", pnginfo=info)


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (_image("PNG"), "image/png"),
        (_image("JPEG"), "image/jpeg"),
        (_image("GIF"), "image/gif"),
        (PDF, "application/pdf"),
    ],
)
def test_plain_pictures_and_pdfs_pass(data, mime):
    check_content(data, mime)


@pytest.mark.parametrize(
    "data",
    [
        _image("PNG") + PDF,  # a PDF after the picture
        _image("PNG") + HTML,
        _png_with_text("%PDF-1.4 1 0 obj"),  # a PDF header where readers look for one
        _png_with_text("<html><script>alert(1)</script>"),  # HTML where browsers sniff
        _image("PNG")[:-30],  # cut short: does not decode whole
    ],
)
def test_polyglot_or_broken_png_is_refused(data):
    with pytest.raises(ValidationError) as caught:
        check_content(data, "image/png")
    assert caught.value.code == "file_polyglot"


def test_jpeg_with_a_pdf_appended_is_refused():
    with pytest.raises(ValidationError):
        check_content(_image("JPEG") + PDF, "image/jpeg")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + HTML + PDF,  # an HTML page in the first kilobyte
        PDF + ZIP_END,  # a ZIP (JAR, Office) read from the end
        b"\x89PNG\r\n" + PDF,  # not starting as a PDF
    ],
)
def test_polyglot_pdf_is_refused(data):
    with pytest.raises(ValidationError):
        check_content(data, "application/pdf")


def test_document_upload_check_reads_the_whole_file():
    upload = SimpleUploadedFile("通知.pdf", PDF + ZIP_END, content_type="application/pdf")
    with pytest.raises(ValidationError):
        check_upload(upload, types=DOCUMENT_TYPES, max_bytes=10 * 1024 * 1024)
    clean = SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf")
    assert check_upload(clean, types=DOCUMENT_TYPES, max_bytes=10**7).mime == "application/pdf"


def test_public_picture_field_refuses_a_polyglot_and_reencodes_a_good_picture():
    field = VerifiedImageFormField()
    with pytest.raises(ValidationError):
        field.clean(SimpleUploadedFile("logo.png", _image("PNG") + PDF))
    original = _png_with_text("拍摄于平湖")
    cleaned = field.clean(SimpleUploadedFile("logo.png", original))
    content = cleaned.read()
    assert content != original
    assert b"\xe5\xb9\xb3\xe6\xb9\x96" not in content  # metadata gone
    assert Image.open(io.BytesIO(content)).size == (8, 8)


@pytest.mark.django_db
def test_need_attachment_that_is_also_a_zip_is_refused(staff_user):
    from experts.services.needs import need_attachment_add
    from tests.experts.factories import NeedFactory

    need = NeedFactory()
    with pytest.raises(ValidationError):
        need_attachment_add(
            need=need, by=staff_user, upload=SimpleUploadedFile("图纸.pdf", PDF + ZIP_END)
        )
    assert need.attachments.count() == 0


@pytest.mark.django_db
def test_the_admin_refuses_a_polyglot_society_logo(staff_client):
    from tests.factories import SocietyFactory

    society = SocietyFactory()
    url = f"/admin/members/society/{society.pk}/change/"
    page = staff_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "pk")}
    data = {
        k: (v if not isinstance(v, list) else [getattr(i, "pk", i) for i in v])
        for k, v in data.items()
    }
    data["logo"] = SimpleUploadedFile("logo.png", _image("PNG") + PDF)
    response = staff_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "混有其他格式的内容" in response.content.decode()
    society.refresh_from_db()
    assert not society.logo
