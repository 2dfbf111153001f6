"""Pictures: alternative text required, renditions made at upload and cached
for ever, originals private when the uploader asks."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kexie.platform.pictures import renditions, services
from tests.pictures.conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_renditions_are_made_at_upload_in_every_size(make_picture, settings):
    picture = make_picture(width=1600, height=1200)
    assert set(picture.renditions) == set(renditions.SIZES)
    assert (picture.rendition("thumb")["width"], picture.rendition("thumb")["height"]) == (480, 320)
    assert (picture.rendition("detail")["width"], picture.rendition("detail")["height"]) == (
        1200,
        900,
    )
    assert (picture.rendition("social")["width"], picture.rendition("social")["height"]) == (
        1200,
        630,
    )
    for found in picture.renditions.values():
        assert (settings.MEDIA_ROOT / found["name"]).exists()
        # Named by the hash of the content: a URL never changes meaning.
        assert re.fullmatch(r"pictures/[0-9a-f]{2}/[0-9a-f]{20}\.(webp|jpg)", found["name"])


def test_a_small_picture_is_not_enlarged(make_picture):
    picture = make_picture(width=400, height=300)
    assert picture.rendition("detail")["width"] == 400


def test_rendition_is_served_with_far_future_caching(make_picture, client):
    picture = make_picture()
    response = client.get(picture.url("thumb"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "image/webp"
    b"".join(response.streaming_content)


def test_alternative_text_is_required(upload, staff_user, settings):
    with pytest.raises(ValidationError) as error:
        services.picture_create(upload=upload(), alt="  ", by=staff_user)
    assert error.value.messages == ["请填写图片的替代文本。"]
    assert not (settings.MEDIA_ROOT / "pictures").exists() or not any(
        (settings.MEDIA_ROOT / "pictures").rglob("*.*")
    )


def test_a_file_that_is_not_the_image_its_name_says_is_refused(staff_user):
    with pytest.raises(ValidationError) as error:
        services.picture_create(
            upload=SimpleUploadedFile("海报.jpg", image_bytes(kind="PNG")),
            alt="海报",
            by=staff_user,
        )
    assert error.value.messages == ["文件内容与扩展名不符，请检查后重新上传。"]
    with pytest.raises(ValidationError):
        services.picture_create(
            upload=SimpleUploadedFile("海报.jpg", b"<svg onload=alert(1)>"),
            alt="海报",
            by=staff_user,
        )


def test_an_image_too_large_to_decode_safely_is_refused(upload, staff_user, monkeypatch):
    monkeypatch.setattr(renditions, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError) as error:
        services.picture_create(upload=upload(width=100, height=100), alt="大图", by=staff_user)
    assert error.value.messages[0].startswith("图片尺寸过大")


def test_public_original_is_served(make_picture, client):
    picture = make_picture(private=False)
    response = client.get(picture.original_url())
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_private_original_is_not_reachable_by_any_url(make_picture, client, staff_client, settings):
    picture = make_picture(private=True)
    assert picture.original_url() == ""
    url = reverse("pictures:original", args=[picture.pk])
    assert client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404
    # Stored outside MEDIA_ROOT, so neither the proxy nor the rendition view can reach it.
    stored = settings.PRIVATE_MEDIA_ROOT / picture.original.name
    assert stored.exists()
    assert settings.MEDIA_ROOT not in stored.parents
    name = picture.original.name
    for guess in (
        f"/media/{name}",
        reverse("pictures:rendition", args=[name.removeprefix("pictures/")]),
        f"/media/pictures/../../private-media/{name}",
    ):
        assert client.get(guess).status_code == 404


def test_renditions_carry_no_camera_data(upload, staff_user, settings):
    from PIL import Image

    picture = services.picture_create(upload=upload(), alt="活动现场", by=staff_user)
    with Image.open(settings.MEDIA_ROOT / picture.rendition("social")["name"]) as social:
        assert not social.getexif()


def test_deleting_a_picture_keeps_a_file_another_picture_shares(make_picture, settings):
    first = make_picture()
    second = make_picture()  # the same image twice: the same rendition files
    assert first.renditions == second.renditions
    services.picture_delete(picture=first)
    assert (settings.MEDIA_ROOT / second.rendition("thumb")["name"]).exists()


def test_staff_upload_a_picture_in_the_admin_with_its_alternative_text(staff_client, upload):
    from kexie.platform.pictures.models import Picture

    add = reverse("admin:pictures_picture_add")
    response = staff_client.post(add, {"upload": upload(), "alt": "航天科普馆展厅"})
    assert response.status_code == 302, response.content.decode()[:2000]
    picture = Picture.objects.get()
    assert picture.alt == "航天科普馆展厅"
    assert set(picture.renditions) == set(renditions.SIZES)
    refused = staff_client.post(add, {"upload": upload(), "alt": ""})
    assert refused.status_code == 200
    assert Picture.objects.count() == 1


def test_a_public_original_lost_from_the_disk_is_a_404(make_picture, client):
    picture = make_picture(private=False)
    picture.original.storage.delete(picture.original.name)
    assert client.get(picture.original_url()).status_code == 404
