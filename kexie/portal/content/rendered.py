"""Articles as lists and pages show them, rendered once per article and
language and kept apart from the pages (``kexie.platform.lib.parts``).

- An article's entry in a list is stamped with its article's dependency
  (bumped by a write to the article), the columns' (a column renamed) and the
  pictures' generation; whether it is pinned and closed now is part of its
  key, since that changes with the clock alone.
- An article's page (all but its title and social tags) is stamped with its
  article's dependency, also bumped by its attachments, corrections, tags and
  links to other records, the tags' dependency, and the generations of the
  domains whose records it names by their titles (outreach, members, experts)
  and of the pictures.
"""

from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import get_template

from kexie.platform.lib import pagecache, parts
from kexie.portal.content import selectors
from kexie.portal.content.models import Article, Attachment, Column, Correction, Tag

ITEM_TEMPLATE = "content/_article_item.html"
BODY_TEMPLATE = "content/_article.html"
COLUMNS = "content.columns"
TAGS = "content.tags"


def article_dependency(article_id: int) -> str:
    return f"content.article:{article_id}"


def article_items(rows: list[tuple[int, bool, bool]], *, show_column: bool) -> list[str]:
    """The list entries of ``(pk, pinned now, closed now)`` rows, in their order."""
    found = parts.cached_parts(
        "article_item" if show_column else "article_item_in_column",
        rows,
        stamp=lambda row: (article_dependency(row[0]), COLUMNS, parts.generation("pictures")),
        render=lambda missing: _render_items(missing, show_column=show_column),
    )
    return [found[row] for row in rows if row in found]


def _render_items(rows: list[tuple[int, bool, bool]], *, show_column: bool) -> dict:
    template = get_template(ITEM_TEMPLATE)
    articles = selectors.articles_by_id([row[0] for row in rows])
    rendered = {}
    for row in rows:
        article = articles.get(row[0])
        if article is not None:
            article.pinned_now = row[1]
            rendered[row] = template.render({"article": article, "show_column": show_column})
    return rendered


def article_body(article: Article) -> str:
    """What the article's page shows of it below the site's chrome. ``article``
    needs only its id and closing time: when the part must be rendered, its
    full row is read (``selectors.article_public_row``)."""
    key = (article.pk, article.is_closed())
    found = parts.cached_parts(
        "article_body",
        [key],
        stamp=lambda _key: (
            article_dependency(article.pk),
            TAGS,
            COLUMNS,
            *(parts.generation(d) for d in ("outreach", "members", "experts", "pictures")),
        ),
        render=lambda _keys: {key: _render_body(article)},
    )
    return found[key]


def _render_body(head: Article) -> str:
    article = selectors.article_public_row(pk=head.pk)
    if article is None:  # no longer public since its head was read
        return ""
    prefetch_related_objects([article], *selectors.detail_prefetches())
    return get_template(BODY_TEMPLATE).render({"article": article})


def _bump(*names: str) -> None:
    pagecache.bump_dependencies_on_commit(*names)


def _article_written(sender, instance, **kwargs) -> None:
    _bump(article_dependency(instance.pk))


def _part_written(sender, instance, **kwargs) -> None:
    _bump(article_dependency(instance.article_id))


def _links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        _bump(article_dependency(instance.pk))
    elif pk_set:
        _bump(*(article_dependency(pk) for pk in pk_set))
    else:  # cleared from the other side: whichever articles they were
        _bump(TAGS)


def connect_signals() -> None:
    """Called once, from ``kexie.invalidation.connect``."""
    for model, receiver in (
        (Article, _article_written),
        (Attachment, _part_written),
        (Correction, _part_written),
        (Column, lambda sender, instance, **kwargs: _bump(COLUMNS)),
        (Tag, lambda sender, instance, **kwargs: _bump(TAGS)),
    ):
        uid = f"rendered:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
    for field in ("tags", "related_events", "related_venues", "related_societies", "related_needs"):
        m2m_changed.connect(
            _links_changed,
            sender=getattr(Article, field).through,
            dispatch_uid=f"rendered:Article.{field}",
        )
