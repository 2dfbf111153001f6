"""A URLconf with one cheap public page, for requests by the thousand."""

from django.http import HttpResponse
from django.urls import include, path

from kexie.platform.lib import pagecache


@pagecache.public_page("outreach", params={"page": pagecache.PAGE, "q": pagecache.TEXT})
def cheap(request):
    return HttpResponse(f"page {request.GET.get('page', '')}")


urlpatterns = [path("cheap/", cheap), path("", include("kexie.urls"))]
