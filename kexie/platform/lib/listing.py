"""Items written as a list in the active language: 「甲、乙、丙」 on a Chinese
page, "A, B, C" on an English one (the separator is in the catalogue, under the
context templates use too: ``{% translate "、" context "between the items of a
list" %}``)."""

from collections.abc import Iterable

from django.utils.translation import pgettext


def list_text(items: Iterable) -> str:
    return pgettext("between the items of a list", "、").join(str(item) for item in items)
