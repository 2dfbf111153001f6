"""Why an expert was recommended: kept as data, written out in the reader's language.

A reason is a JSON object, ``{"code": …, **parameters}``, as ``explain`` makes it
and ``NeedRecommendation.reasons`` stores it; ``reason_text`` writes it in the
active language when a page, a command or a message shows it, so a ranking made
under one language reads in another. Names of disciplines and vocabulary entries
are kept as they were at ranking time; a discipline's name is shown in the reader's
language where the catalogue has it (``Discipline.label``).
Rows stored before reasons were data hold plain strings, shown as written.
"""

from django.utils.translation import gettext, gettext_lazy

from experts.models import Expert
from kexie.platform.lib.listing import list_text

SAME_FIELDS = "same_fields"  # names: the need's chosen disciplines the expert works in
RELATED_FIELDS = "related_fields"  # names: disciplines the need's text points to
KEYWORDS = "keywords"  # names: vocabulary entries of both the need and the expert
PROFILE_WORDS = "profile_words"  # words: the need's words found in the profile
BORROWED_WORDS = "borrowed_words"  # words: of the best-fitting profiles, found in this one
SIMILAR_CONTENT = "similar_content"
LOCAL_EXPERT = "local_expert"
DELTA_EXPERT = "delta_expert"  # region: an Expert.Region value
RESPONSE_RATE = "response_rate"  # rate: percent of last year's invitations answered
RATING = "rating"  # mean (one decimal), count
OPEN_ENGAGEMENTS = "open_engagements"  # count
BUSY = "busy"

_TEXTS = {
    SAME_FIELDS: gettext_lazy("领域相同：%(names)s"),
    RELATED_FIELDS: gettext_lazy("领域相关：%(names)s"),
    KEYWORDS: gettext_lazy("关键词：%(names)s"),
    PROFILE_WORDS: gettext_lazy("简介相关：%(words)s"),
    BORROWED_WORDS: gettext_lazy("与最相符的专家同用：%(words)s"),
    SIMILAR_CONTENT: gettext_lazy("内容相近"),
    LOCAL_EXPERT: gettext_lazy("本地专家"),
    DELTA_EXPERT: gettext_lazy("长三角专家（%(region)s）"),
    RESPONSE_RATE: gettext_lazy("近一年响应率 %(rate)s%%"),
    RATING: gettext_lazy("企业评价 %(mean).1f 分（%(count)s 次）"),
    OPEN_ENGAGEMENTS: gettext_lazy("正在对接 %(count)s 项需求"),
    BUSY: gettext_lazy("近期较忙"),
}


def reason(code: str, **parameters) -> dict:
    """One reason as stored: its code and its parameters (JSON values only)."""
    return {"code": code, **parameters}


def reason_text(reason: dict | str) -> str:
    """A reason in the active language; a string stored before reasons were data
    as written, an unknown code as itself."""
    if isinstance(reason, str):
        return reason
    code = reason.get("code")
    text = _TEXTS.get(code)
    if text is None:
        return str(code)
    values = {}
    for key, value in reason.items():
        if isinstance(value, list):
            if code in (SAME_FIELDS, RELATED_FIELDS):
                # The standard's discipline names are in the catalogue.
                value = [gettext(str(item)) for item in value]
            value = list_text(value)
        values[key] = value
    if code == DELTA_EXPERT:
        region = reason.get("region")
        values["region"] = Expert.Region(region).label if region in Expert.Region.values else region
    text = str(text)
    if "%" not in text:
        return text
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        # A row written by hand or by a later version: never break the page over it.
        return str(code)
