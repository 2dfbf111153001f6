"""The weights of the matching score: one place, read from settings.

``EXPERTS_MATCH_WEIGHTS`` (a JSON object in the environment) overrides any of
the defaults below; a key the engine does not know, or a value that is not a
number, stops the process instead of being ignored.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Relevance signals decide whether an expert is a candidate at all; the other
# signals only reorder candidates, so a well-rated expert of another trade is
# never recommended for their rating alone.
RELEVANCE_SIGNALS = ("text", "semantic", "field", "keyword")
PRIOR_SIGNALS = ("region", "rating", "response", "workload")
SIGNALS = RELEVANCE_SIGNALS + PRIOR_SIGNALS

SIGNAL_LABELS = {
    "text": _("文本相似"),
    "semantic": _("语义相近"),
    "field": _("领域"),
    "keyword": _("关键词"),
    "region": _("地区"),
    "rating": _("企业评价"),
    "response": _("响应率"),
    "workload": _("工作负荷"),
}

DEFAULT_WEIGHTS: dict[str, float] = {
    # BM25 of the need's text against the expert's profile, 0..1 (best match of this need = 1).
    "text": 3.0,
    # Nearness in meaning (the semantic bridge, ``EXPERTS_MATCH_SEMANTIC``), 0..1:
    # 0 at the pool's typical similarity, 1 well above it.
    "semantic": 3.0,
    # The best field part of the expert's fields, 0..1: 1 for a chosen field the
    # text bears out (or staff confirmed), less for one it does not, up to 0.75
    # for a discipline inferred from the text. A bonus, not a filter. (2.5 ranked
    # better than 2.0 on both halves of the tune set once the discipline centroids
    # inform the inferred disciplines.)
    "field": 2.5,
    # Shared vocabulary entries, 1 - 0.5 ** Σ strength (1 for a telling entry):
    # 0.5, 0.75, 0.875 …
    "keyword": 3.0,
    # Pinghu 1, the rest of the Yangtze River Delta 0.5, elsewhere 0: a tie-breaker
    # (0.25 ranked better than 0.5 on the tune and project sets).
    "region": 0.25,
    # Mean overall rating, (mean - 3) / 2 shrunk towards 0 while ratings are few, -1..1.
    "rating": 1.0,
    # Share of last year's invitations answered, minus one half, -0.5..0.5.
    "response": 1.0,
    # Busy -1, and -0.25 per open engagement, down to -2.
    "workload": 1.0,
}


def match_weights() -> dict[str, float]:
    overrides = getattr(settings, "EXPERTS_MATCH_WEIGHTS", None) or {}
    if not isinstance(overrides, dict):
        raise ImproperlyConfigured("EXPERTS_MATCH_WEIGHTS must be a JSON object")
    unknown = sorted(set(overrides) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise ImproperlyConfigured(
            f"EXPERTS_MATCH_WEIGHTS has unknown signals {unknown}; known: {sorted(SIGNALS)}"
        )
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in overrides.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ImproperlyConfigured(f"EXPERTS_MATCH_WEIGHTS[{name!r}] must be a number")
        weights[name] = float(value)
    return weights
