from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kexie.portal.search"
    label = "search"
    verbose_name = _("站内搜索")
    # Its receivers (the index is derived from other apps' records) are
    # connected with the other caches' in ``kexie.invalidation``.
