"""Stored recommendation reasons, from text written at ranking time to data.

Each string a ranking wrote (in Chinese, or in English when it ran under English)
becomes ``{"code": …, **parameters}`` as ``experts.matching.reasons`` reads it;
a string of no known form stays a string, which the pages show as written.
Backwards, each reason is written out in Chinese again. The forms are copied
here, not imported, so the migration keeps meaning what it meant.
"""

import re

from django.db import migrations

# (code, Chinese form, English form): %(x)s is a parameter.
FORMS = [
    ("same_fields", "领域相同：%(names)s", "Same field: %(names)s"),
    ("related_fields", "领域相关：%(names)s", "Related field: %(names)s"),
    ("keywords", "关键词：%(names)s", "Keywords: %(names)s"),
    ("profile_words", "简介相关：%(words)s", "Profile matches: %(words)s"),
    (
        "borrowed_words",
        "与最相符的专家同用：%(words)s",
        "Shared with the best-matching expert: %(words)s",
    ),
    ("similar_content", "内容相近", "Similar content"),
    ("local_expert", "本地专家", "Local expert"),
    ("delta_expert", "长三角专家（%(region)s）", "Yangtze River Delta expert (%(region)s)"),
    ("response_rate", "近一年响应率 %(rate)s%", "Response rate over the past year: %(rate)s%"),
    (
        "rating",
        "企业评价 %(mean)s 分（%(count)s 次）",
        "Rated %(mean)s/5 by enterprises (%(count)s ratings)",
    ),
    ("open_engagements", "正在对接 %(count)s 项需求", "Currently engaged on %(count)s needs"),
    ("busy", "近期较忙", "Busy at present"),
]
REGIONS = {
    "浙江": "zhejiang",
    "上海": "shanghai",
    "江苏": "jiangsu",
    "安徽": "anhui",
    "Zhejiang": "zhejiang",
    "Shanghai": "shanghai",
    "Jiangsu": "jiangsu",
    "Anhui": "anhui",
}
REGION_NAMES = {"zhejiang": "浙江", "shanghai": "上海", "jiangsu": "江苏", "anhui": "安徽"}
LISTS = {"names", "words"}
NUMBERS = {"rate": int, "count": int, "mean": float}
PARAMETER_RE = re.compile(r"%\((\w+)\)s")


def _pattern(form):
    parts = PARAMETER_RE.split(form)
    # split() alternates text and parameter names: text, name, text, …
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")


PATTERNS = [(code, _pattern(form)) for code, *forms in FORMS for form in forms]


def _as_data(text):
    for code, pattern in PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        reason = {"code": code}
        for key, value in match.groupdict().items():
            if key in LISTS:
                reason[key] = value.split("、")
            elif key in NUMBERS:
                try:
                    reason[key] = NUMBERS[key](value)
                except ValueError:
                    return text
            elif key == "region":
                if value not in REGIONS:
                    return text
                reason[key] = REGIONS[value]
        return reason
    return text


def _as_text(reason):
    if not isinstance(reason, dict):
        return reason
    form = next((zh for code, zh, _en in FORMS if code == reason.get("code")), None)
    if form is None:
        return str(reason.get("code"))
    values = {
        key: "、".join(value) if isinstance(value, list) else value
        for key, value in reason.items()
    }
    if "region" in values:
        values["region"] = REGION_NAMES.get(values["region"], values["region"])
    if "mean" in values:
        values["mean"] = f"{values['mean']:.1f}"
    return PARAMETER_RE.sub(lambda m: str(values.get(m.group(1), "")), form)


def _convert(apps, convert):
    NeedRecommendation = apps.get_model("experts", "NeedRecommendation")
    changed = []
    for row in NeedRecommendation.objects.only("pk", "reasons").iterator(chunk_size=1000):
        reasons = [convert(reason) for reason in row.reasons or []]
        if reasons != row.reasons:
            row.reasons = reasons
            changed.append(row)
    NeedRecommendation.objects.bulk_update(changed, ["reasons"], batch_size=500)


def forwards(apps, schema_editor):
    _convert(apps, lambda reason: _as_data(reason) if isinstance(reason, str) else reason)


def backwards(apps, schema_editor):
    _convert(apps, _as_text)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0011_techneed_add_created_index"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
