from django.contrib import admin

from kexie.platform.lib.admin_doors import ReadOnlyAdminMixin
from kexie.portal.search.models import SearchDocument

# Synonyms of the search are the shared vocabulary's (experts' 关键词 admin).


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the index is rebuilt from the records, never edited."""

    list_display = ["title", "kind", "date", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    fields = [
        "kind",
        "object_id",
        "title",
        "url",
        "date",
        "extra",
        "body",
        "title_terms",
        "body_terms",
    ]
