from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "kexie.portal.content"
    label = "content"
    verbose_name = _("新闻与公告")

    def ready(self):
        from kexie.platform.accounts.roles import grant_managers
        from kexie.platform.lib import pagecache
        from kexie.portal.content import selectors

        # Managers draft for their own organisation; only staff approve.
        grant_managers(
            "content.view_article",
            "content.add_article",
            "content.change_article",
            "content.view_attachment",
            "content.add_attachment",
            "content.change_attachment",
            "content.delete_attachment",
            "content.view_column",
            "content.view_tag",
        )
        pagecache.register_clock("content", selectors.next_public_change)
