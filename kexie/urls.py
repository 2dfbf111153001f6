from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from kexie import views
from kexie.platform.lib.site import site_name_lazy

admin.site.site_header = site_name_lazy()
admin.site.site_title = site_name_lazy()
admin.site.index_title = _("管理后台")

handler400 = "kexie.views.bad_request"
handler403 = "kexie.views.permission_denied"
handler404 = "kexie.views.page_not_found"
handler500 = "kexie.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    re_path(
        rf"^(?P<prefix>{'|'.join(views.LANGUAGE_PREFIXES)})/(?P<rest>.*)$",
        views.language_prefix,
        name="language_prefix",
    ),
    path("accounts/", include("kexie.platform.accounts.urls")),
    path("admin/", admin.site.urls),
    # Before the apps' own lists, which Django tries one pattern after another
    # (the workbench came after some 90 of them): none is "staff/" or under
    # "staff/reports/".
    path("staff/reports/", include("kexie.portal.reports.urls")),
    path("staff/", include("kexie.portal.workbench.urls")),
    path("", include("members.urls")),
    path("", include("outreach.urls")),
    path("", include("experts.urls")),
    path("search/", include("kexie.portal.search.urls")),
    path("privacy/", include("kexie.platform.privacy.urls")),
    path("", include("kexie.portal.content.urls")),
    path("", include("kexie.portal.about.urls")),
    path("", include("kexie.platform.pictures.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
