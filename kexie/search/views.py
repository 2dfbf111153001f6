from django.shortcuts import render
from django.views.decorators.http import require_GET

from kexie.search import selectors


@require_GET
def results(request):
    found = selectors.search(
        query=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page"),
    )
    return render(request, "search/results.html", {"results": found})
