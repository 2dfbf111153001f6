import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kexie.platform.pictures import services


@pytest.fixture(autouse=True)
def _media_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def image_bytes(width=1600, height=1200, *, kind="JPEG", color=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if kind == "PNG" else "RGB"
    Image.new(mode, (width, height), color).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def upload():
    def _upload(name="展厅.jpg", **options):
        return SimpleUploadedFile(name, image_bytes(**options))

    return _upload


@pytest.fixture
def make_picture(upload, staff_user):
    def _make(alt="航天科普馆展厅", *, private=False, **options):
        return services.picture_create(
            upload=upload(**options), alt=alt, by=staff_user, original_private=private
        )

    return _make
