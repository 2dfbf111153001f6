from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The reference: Django's request cycle with no database and no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("kexie.urls")),
]
