from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "kexie.portal.content"
    label = "content"
    verbose_name = _("新闻与公告")

    def ready(self):
        from kexie.platform import home_blocks
        from kexie.platform.accounts.roles import grant_managers
        from kexie.platform.lib import pagecache
        from kexie.portal.content import home, selectors
        from kexie.portal.workbench import registry

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
        # 工作动态 with pictures beside 通知公告 at the top; the other columns
        # after the events.
        home_blocks.register(
            "content-headlines",
            order=5,
            template="content/_home_headlines.html",
            context=home.headlines,
            domains=("content", "pictures"),
        )
        home_blocks.register(
            "content-columns",
            order=20,
            template="content/_home_columns.html",
            context=home.other_columns,
            domains=("content", "pictures"),
        )
        registry.register(
            "articles",
            order=17,
            template="content/_workbench_block.html",
            context=home.workbench,
            for_managers=True,
            cache_seconds=60,
            domains=("content", "members"),
        )
