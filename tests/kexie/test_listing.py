"""Lists written in the reader's language: 「、」 between Chinese items, ", "
between English ones, in messages built in Python as in templates."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kexie.platform.lib.listing import list_text
from kexie.platform.lib.validators import check_upload


def test_a_list_is_written_as_the_active_language_writes_lists():
    with translation.override("zh-hans"):
        assert list_text(["机械", "材料", 3]) == "机械、材料、3"
    with translation.override("en"):
        assert list_text(["机械", "材料", 3]) == "机械, 材料, 3"
    assert list_text([]) == ""


def test_an_upload_of_the_wrong_type_names_the_allowed_types_as_a_list():
    types = {"image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}}
    upload = SimpleUploadedFile("notes.png", b"plain text, not a picture")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        check_upload(upload, types=types, max_bytes=1024 * 1024)
    message = raised.value.messages[0]
    assert "JPEG, JPG, PNG" in message and "、" not in message
