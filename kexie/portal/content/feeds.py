"""An RSS and an Atom feed per column."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kexie.platform.lib.site import site_name
from kexie.portal.content import selectors
from kexie.portal.content.models import Article, Column
from kexie.portal.content.sanitize import plain_text


class ColumnRssFeed(Feed):
    def get_object(self, request, slug):
        column = selectors.column_by_slug(slug)
        if column is None:
            raise Http404
        return column

    def title(self, obj: Column):
        return f"{obj.name} · {site_name()}"

    def link(self, obj: Column):
        return obj.get_absolute_url()

    def description(self, obj: Column):
        return obj.description or _("%(site)s发布的%(column)s") % {
            "site": site_name(),
            "column": obj.name,
        }

    def feed_url(self, obj: Column):
        return reverse("content:feed_rss", args=[obj.slug])

    def items(self, obj: Column):
        return selectors.feed_items(column=obj)

    def item_title(self, item: Article):
        return item.title

    def item_description(self, item: Article):
        return item.summary or plain_text(item.body)[:200]

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article):
        return item.author_name or item.source or site_name()


class ColumnAtomFeed(ColumnRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Column):
        return self.description(obj)

    def feed_url(self, obj: Column):
        return reverse("content:feed_atom", args=[obj.slug])
