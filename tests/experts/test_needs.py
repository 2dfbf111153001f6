import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from experts.models import Keyword, NeedAttachment, TechNeed
from experts.services import needs

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
# A whole 1×1 picture: uploads are decoded to the last pixel (a truncated one is refused).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89"
    b"\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _create(enterprise, user, materials, **overrides):
    data = {
        "enterprise": enterprise,
        "by": user,
        "title": "储能电池热失控预警",
        "summary": "电费峰谷价差大，想在低谷充电，需要可靠的磷酸铁锂储能系统热管理方案。",
        "details": "现有储能柜夏季温升过快。",
        "kind": TechNeed.Kind.RESEARCH,
        "fields": [materials],
        "keywords": ["锂电池", "热管理"],
    }
    data.update(overrides)
    return needs.need_create(**data)


def test_new_need_is_a_draft_with_suggested_keywords(enterprise, enterprise_user, materials):
    need = _create(enterprise, enterprise_user, materials)
    assert need.status == TechNeed.Status.DRAFT
    assert "磷酸铁锂" in need.suggested_keywords
    assert "储能" in need.suggested_keywords
    assert list(need.transitions.values_list("to_status", "by")) == [
        (TechNeed.Status.DRAFT, enterprise_user.pk)
    ]


def test_typed_synonym_resolves_to_the_vocabulary_entry(
    enterprise, enterprise_user, materials, battery
):
    need = _create(enterprise, enterprise_user, materials)
    names = sorted(k.name for k in need.keywords.all())
    assert names == ["热管理", "锂离子电池"]
    assert Keyword.objects.get(name="热管理").is_approved is False
    assert Keyword.objects.get(name="锂离子电池").is_approved is True


def test_budget_range_upside_down_is_refused(enterprise, enterprise_user, materials):
    with pytest.raises(ValidationError) as error:
        _create(enterprise, enterprise_user, materials, budget_min=50, budget_max=10)
    assert "预算下限不能高于预算上限。" in error.value.messages
    assert not TechNeed.objects.exists()


def test_published_need_cannot_be_edited(published_need, enterprise_user, materials):
    with pytest.raises(ValidationError) as error:
        needs.need_update(
            need=published_need,
            by=enterprise_user,
            title="新标题",
            summary="新摘要",
            kind=TechNeed.Kind.CONSULTING,
            fields=[materials],
            keywords=[],
        )
    assert error.value.messages == ["只有草稿或未通过审核的需求可以修改。"]
    published_need.refresh_from_db()
    assert published_need.title != "新标题"


def test_keyword_list_too_long_is_refused():
    with pytest.raises(ValidationError) as error:
        needs.parse_keywords("，".join(f"词{n}" for n in range(13)))
    assert error.value.messages == ["关键词最多12个。"]


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("报告.pdf", PDF, "application/pdf"),
        ("现场.PNG", PNG, "image/png"),
        (
            "方案.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_attachment_is_stored_privately_under_a_generated_name(
    draft_need, enterprise_user, settings, name, content, mime
):
    attachment = needs.need_attachment_add(
        need=draft_need, by=enterprise_user, upload=SimpleUploadedFile(name, content)
    )
    assert attachment.original_name == name
    assert attachment.content_type == mime
    stored = settings.PRIVATE_MEDIA_ROOT / attachment.file.name
    assert stored.read_bytes() == content
    assert name.rsplit(".", 1)[0] not in attachment.file.name
    assert str(settings.MEDIA_ROOT) not in str(stored)


def test_attachment_too_large_is_refused_and_nothing_is_stored(
    draft_need, enterprise_user, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("大文件.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as error:
        needs.need_attachment_add(need=draft_need, by=enterprise_user, upload=upload)
    assert error.value.messages == ["文件过大：不能超过1 MB。"]
    assert not NeedAttachment.objects.exists()
    assert not settings.PRIVATE_MEDIA_ROOT.exists() or not any(
        settings.PRIVATE_MEDIA_ROOT.rglob("*.*")
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("说明.pdf", b"#!/bin/sh\nrm -rf /\n"),  # a script dressed as a PDF
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("程序.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 4),
    ],
)
def test_attachment_of_a_false_type_is_refused(draft_need, enterprise_user, name, content):
    with pytest.raises(ValidationError) as error:
        needs.need_attachment_add(
            need=draft_need, by=enterprise_user, upload=SimpleUploadedFile(name, content)
        )
    assert error.value.messages == [
        "不支持该文件类型，请上传 PDF、Word、Excel、PowerPoint 或 PNG/JPEG 图片。"
    ]
    assert not NeedAttachment.objects.exists()


def test_attachment_whose_name_disagrees_with_its_content_is_refused(draft_need, enterprise_user):
    with pytest.raises(ValidationError) as error:
        needs.need_attachment_add(
            need=draft_need, by=enterprise_user, upload=SimpleUploadedFile("照片.pdf", PNG)
        )
    assert error.value.messages == ["文件内容与扩展名不符，请检查后重新上传。"]
    assert not NeedAttachment.objects.exists()
