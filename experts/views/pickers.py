"""The discipline picker's suggestions: text in, coded disciplines out.

POST, so the text of a draft (which may be confidential) stays out of URLs and
logs. Only the public reference list comes back; nothing of any record.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from experts.matching.disciplines import MAX_TEXT_LENGTH, infer_disciplines

log = logging.getLogger(__name__)

SUGGESTIONS = 6


def _user_key(group, request) -> str:
    return str(request.user.pk)


def _throttled(request) -> bool:
    """Counts this request; True when the user has asked ``EXPERTS_SUGGEST_RATE``
    times already. Fails open: the picker is a convenience, not a gate."""
    if not settings.EXPERTS_SUGGEST_RATE:
        return False
    try:
        usage = get_usage(
            request,
            group="experts.discipline_suggest",
            key=_user_key,
            rate=settings.EXPERTS_SUGGEST_RATE,
            increment=True,
        )
    except Exception:
        log.warning("experts: suggestion rate not read (cache unavailable)", exc_info=True)
        return False
    return usage is not None and usage["should_limit"]


@never_cache
@login_required
@require_POST
def discipline_suggest(request):
    if _throttled(request):
        return JsonResponse({"error": _("操作太频繁，请稍后再试。"), "disciplines": []}, status=429)
    text = request.POST.get("text", "")[:MAX_TEXT_LENGTH]
    suggestions = infer_disciplines(text, limit=SUGGESTIONS)
    return JsonResponse(
        {
            "disciplines": [
                {"id": d.pk, "code": d.code, "name": d.label, "score": round(score, 2)}
                for d, score in suggestions
            ]
        }
    )
