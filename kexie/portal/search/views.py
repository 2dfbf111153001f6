from django.shortcuts import render
from django.views.decorators.http import require_safe

from kexie.platform.lib import pagecache
from kexie.platform.lib.pagecache import public_page
from kexie.portal.search import selectors


# The page shows the index and the synonyms (both in the ``search`` domain)
# and nothing of the visitor.
@require_safe
@public_page(
    "search", params={"q": pagecache.TEXT, "kind": pagecache.CHOICE, "page": pagecache.PAGE}
)
def results(request):
    found = selectors.search(
        query=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page"),
    )
    return render(request, "search/results.html", {"results": found})
