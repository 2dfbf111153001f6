"""The admin site: Django's, with the sidebar's list of apps kept a minute.

Every admin page builds the list of every app and model the user may see for
its sidebar: each model admin asked for its permissions and every name, a
lazy translation, translated to sort them (780 ``gettext`` a request, a
quarter of an empty change list). The list is kept per user and language in
the process for ``APP_LIST_SECONDS``; a change of the user's permissions
shows in the sidebar within that time, and every page still checks them.
"""

import threading
import time

from django.contrib import admin
from django.utils.translation import get_language

#: How long a user's sidebar list is kept in the process.
APP_LIST_SECONDS = 60
_MAX_USERS = 512


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
        app_list = self.get_app_list(request)
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
