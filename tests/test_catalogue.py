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
