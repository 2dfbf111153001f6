from django.shortcuts import render
from django.views.decorators.http import require_safe

from kexie.platform.lib.pagecache import public_page
from kexie.portal.about import selectors


@require_safe
@public_page("about", "members")
def about(request):
    return render(request, "about/page.html", {"page": selectors.about_page()})
