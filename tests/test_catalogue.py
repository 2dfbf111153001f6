"""The English catalogue is complete: every message has a translation that is
not a guess. (`make messages` extracts the new strings; each is translated
before it lands.)"""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [
        block for block in text.split("\n\n") if "msgid" in block and not block.startswith("#~")
    ]


def test_no_message_is_left_untranslated():
    untranslated = []
    for block in _entries(CATALOGUE.read_text(encoding="utf-8"))[1:]:  # [0] is the header
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$((?:\n".*")*)', block, flags=re.M)
        if any(first == "" and not rest.strip() for first, rest in strings):
            untranslated.append(block)
    assert untranslated == []


def test_no_translation_is_a_fuzzy_guess():
    fuzzy = [
        block
        for block in _entries(CATALOGUE.read_text(encoding="utf-8"))[1:]
        if "#, fuzzy" in block or ", fuzzy" in block
    ]
    assert fuzzy == []


def test_the_admin_speaks_chinese_where_its_libraries_do_not(staff_client):
    """Django 5.2's chosen-many widget and django-axes lack Chinese messages;
    the portal's own zh_Hans catalogues give them."""
    from django.utils import translation

    with translation.override("zh-hans"):
        from axes.models import AccessAttempt, AccessLog

        assert str(AccessAttempt._meta.verbose_name_plural) == "登录尝试"
        assert str(AccessLog._meta.verbose_name_plural) == "登录日志"

    catalogue = staff_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert r'"Choose all %s": "\u5168\u9009%s"' in catalogue  # 全选%s, as the catalogue escapes it
