"""A confirmation step for destructive or irreversible actions, without
JavaScript: the action's form posts once, gets a page that says what will
happen, and only a second post carrying ``confirmed=yes`` does it.

    if not confirm.confirmed(request):
        return confirm.ask(request, title=..., question=..., back_url=..., keep=["reason"])
"""

from collections.abc import Iterable

from django.http import HttpResponse
from django.shortcuts import render

FIELD = "confirmed"


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(FIELD) == "yes"


def ask(
    request,
    *,
    title: str,
    question: str,
    back_url: str,
    confirm_label: str,
    details: Iterable[tuple[str, str]] = (),
    keep: Iterable[str] = (),
    action: str | None = None,
    base: str = "base.html",
    danger: bool = True,
) -> HttpResponse:
    """The confirmation page. ``keep`` names posted fields sent again with the
    confirmation (what was typed, e.g. a reason), ``details`` are shown."""
    source = request.POST if request.method == "POST" else request.GET
    hidden = [(name, value) for name in keep for value in source.getlist(name)]
    return render(
        request,
        "confirm.html",
        {
            "base": base,
            "title": title,
            "question": question,
            "details": list(details),
            "hidden": hidden,
            "action": action or request.path,
            "back_url": back_url,
            "confirm_label": confirm_label,
            "danger": danger,
            "field": FIELD,
        },
    )
