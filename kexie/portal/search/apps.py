from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kexie.portal.search"
    label = "search"
    verbose_name = _("站内搜索")

    def ready(self):
        # The index is derived from other apps' records; listening to their
        # saves keeps it current without those apps knowing about search.
        from kexie.portal.search import receivers

        receivers.connect()
