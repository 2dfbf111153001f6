"""Attachments: type checked by content, size-limited, private until the
article is public, always served as a download."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kexie.portal.content import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "镇街道"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_form_is_attached_and_downloaded_with_its_name(published, staff_user, client, settings):
    article = published()
    attachment = services.attachment_add(
        article=article, by=staff_user, upload=SimpleUploadedFile("报名表.xlsx", xlsx())
    )
    assert attachment.content_type.endswith("spreadsheetml.sheet")
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E6%8A%A5%E5%90%8D%E8%A1%A8.xlsx" in response["Content-Disposition"]
    assert response["Content-Type"] == attachment.content_type
    b"".join(response.streaming_content)


def test_attachment_with_a_false_extension_is_refused(write, staff_user, settings):
    article = write()
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            article=article, by=staff_user, upload=SimpleUploadedFile("申报书.docx", PDF)
        )
    assert error.value.messages == ["文件内容与扩展名不符，请检查后重新上传。"]
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            article=article,
            by=staff_user,
            upload=SimpleUploadedFile("通知.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
        )
    assert error.value.messages[0].startswith("不支持该文件类型")
    assert article.attachments.count() == 0
    assert not settings.PRIVATE_MEDIA_ROOT.exists() or not any(
        settings.PRIVATE_MEDIA_ROOT.rglob("*.*")
    )


def test_attachment_over_the_limit_is_refused(write, staff_user, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    article = write()
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            article=article, by=staff_user, upload=SimpleUploadedFile("a.pdf", PDF + b" " * 2048)
        )
    assert error.value.messages == ["文件过大：不能超过1 KB。"]


def test_draft_attachment_is_not_reachable_by_the_public(write, staff_user, client, staff_client):
    article = write()
    attachment = services.attachment_add(
        article=article, by=staff_user, upload=SimpleUploadedFile("草稿.pdf", PDF)
    )
    assert client.get(attachment.get_absolute_url()).status_code == 404
    response = staff_client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    b"".join(response.streaming_content)


def test_an_attachment_lost_from_the_disk_is_a_404_and_an_error_for_staff(
    published, staff_user, client, caplog
):
    article = published()
    attachment = services.attachment_add(
        article=article, by=staff_user, upload=SimpleUploadedFile("通知.pdf", PDF)
    )
    attachment.file.storage.delete(attachment.file.name)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 404
    assert any(
        record.levelname == "ERROR" and attachment.file.name in record.getMessage()
        for record in caplog.records
    )
