"""The admin site: Django's, with the sidebar kept a minute.

Every admin page builds the list of every app and model the user may see for
its sidebar: each model admin asked for its permissions and every name, a
lazy translation, translated to sort them (780 ``gettext`` a request, a
quarter of an empty change list), then renders it (sixty models, a third of
a change list's template time). The list is kept per user and language in
the process for ``APP_LIST_SECONDS``, and with it the sidebar's HTML for
each model the page is on (which the sidebar marks as current); a change of
the user's permissions shows in the sidebar within that time, and every page
still checks them.
"""

import threading
import time
from urllib.parse import quote

from django.contrib import admin
from django.template.loader import get_template
from django.utils.translation import get_language

#: How long a user's sidebar list is kept in the process.
APP_LIST_SECONDS = 60
_MAX_USERS = 512
#: Pages (current entries) whose sidebar is kept per list.
_MAX_PAGES = 16


class _KeptApps(list):
    """A user's sidebar list, with its HTML per current page (see ``sidebar_html``)."""

    def __init__(self, apps):
        super().__init__(apps)
        self.html: dict[tuple, str] = {}


class KexieAdminSite(admin.AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, tuple[float, list]] = {}
        self._lock = threading.Lock()

    def _sidebar_apps(self, request) -> list:
        user = request.user
        key = (user.pk, user.is_active, user.is_staff, user.is_superuser, get_language())
        now = time.monotonic()
        with self._lock:
            found = self._app_lists.get(key)
        if found is not None and found[0] > now:
            return found[1]
        app_list = _KeptApps(self.get_app_list(request))
        with self._lock:
            if len(self._app_lists) >= _MAX_USERS:
                self._app_lists.clear()
            self._app_lists[key] = (now + APP_LIST_SECONDS, app_list)
        return app_list

    def each_context(self, request):
        """Django's, with the sidebar's apps kept (``_sidebar_apps``)."""
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": self._sidebar_apps(request),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }


def sidebar_html(request, available_apps) -> str:
    """Django's ``admin/nav_sidebar.html`` for ``available_apps`` on this page,
    kept with a kept list (``_KeptApps``) per the entries the page is on (the
    template marks an app or model whose address is part of the page's)."""
    path = quote(request.path, safe="/")
    current = tuple(
        url
        for app in available_apps
        for url in (app["app_url"], *(model.get("admin_url") for model in app["models"]))
        if url and url in path
    )
    kept = available_apps.html if isinstance(available_apps, _KeptApps) else {}
    found = kept.get(current)
    if found is None:
        found = get_template("admin/nav_sidebar.html").render(
            {"request": request, "available_apps": available_apps}
        )
        if len(kept) >= _MAX_PAGES:
            kept.clear()
        kept[current] = found
    return found
