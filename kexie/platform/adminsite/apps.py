import axes.apps
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class KexieAdminConfig(AdminConfig):
    """Django's admin, with the site of ``kexie.platform.adminsite.site``."""

    default_site = "kexie.platform.adminsite.site.KexieAdminSite"


class AxesConfig(axes.apps.AppConfig):
    """django-axes, its section of the admin named for the staff who read it
    (its own name, “Axes”, is not translated)."""

    verbose_name = _("登录安全")
