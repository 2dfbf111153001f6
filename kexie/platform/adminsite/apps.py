from django.contrib.admin.apps import AdminConfig


class KexieAdminConfig(AdminConfig):
    """Django's admin, with the site of ``kexie.platform.adminsite.site``."""

    default_site = "kexie.platform.adminsite.site.KexieAdminSite"
