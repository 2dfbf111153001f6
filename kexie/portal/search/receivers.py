"""Keep the index current when a record changes.

Signals are used here, against the house habit, because the index is a
derived, cross-app concern: the apps that own the records should not have to
know that search exists. A receiver runs no query itself: it schedules the
refresh of the record for after the commit, where a failure is logged and
never breaks the save that caused it (``rebuild_search_index`` repairs any gap).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from experts.models import Achievement, Enterprise, Expert, Keyword, TechNeed
from kexie.platform.lib import pagecache
from kexie.portal.content.models import Article
from kexie.portal.search import services
from kexie.portal.search.indexers import INDEXERS, kind_of
from outreach.models import Event


def _refresh(kind: str, object_id: int) -> None:
    services.document_refresh(kind=kind, object_id=object_id)
    if kind == "expert":
        # An achievement names its expert only while the profile is public.
        for pk in Achievement.objects.filter(expert_id=object_id).values_list("pk", flat=True):
            services.document_refresh(kind="achievement", object_id=pk)


def _refresh_enterprise_needs(enterprise_id: int) -> None:
    # A need that is not anonymous names its enterprise.
    for pk in TechNeed.objects.filter(enterprise_id=enterprise_id).values_list("pk", flat=True):
        services.document_refresh(kind="need", object_id=pk)


def record_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the records may not be complete yet
        return
    kind = kind_of(sender)
    object_id = instance.pk
    transaction.on_commit(lambda: _refresh(kind, object_id), robust=True)


def enterprise_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    enterprise_id = instance.pk
    transaction.on_commit(lambda: _refresh_enterprise_needs(enterprise_id), robust=True)


def record_deleted(sender, instance, **kwargs):
    kind = kind_of(sender)
    object_id = instance.pk
    transaction.on_commit(
        lambda: services.document_remove(kind=kind, object_id=object_id), robust=True
    )


def relations_changed(sender, instance, action, **kwargs):
    kind = kind_of(type(instance))
    if kind is not None and action in ("post_add", "post_remove", "post_clear"):
        object_id = instance.pk
        transaction.on_commit(lambda: _refresh(kind, object_id), robust=True)


def vocabulary_changed(sender, **kwargs):
    # The search expands queries with the shared vocabulary's synonyms.
    pagecache.bump_on_commit("search")


def connect() -> None:
    post_save.connect(vocabulary_changed, sender=Keyword, dispatch_uid="search-vocabulary-save")
    post_delete.connect(vocabulary_changed, sender=Keyword, dispatch_uid="search-vocabulary-delete")
    for indexer in INDEXERS.values():
        uid = f"search-{indexer.kind}"
        post_save.connect(record_saved, sender=indexer.model, dispatch_uid=f"{uid}-save")
        post_delete.connect(record_deleted, sender=indexer.model, dispatch_uid=f"{uid}-delete")
    post_save.connect(enterprise_saved, sender=Enterprise, dispatch_uid="search-enterprise-save")
    # Fields and keywords are shown on expert and need pages, audiences on events.
    for name, through in [
        ("expert-fields", Expert.fields.through),
        ("expert-keywords", Expert.keywords.through),
        ("need-fields", TechNeed.fields.through),
        ("need-keywords", TechNeed.keywords.through),
        ("event-audiences", Event.audiences.through),
        ("article-tags", Article.tags.through),
    ]:
        m2m_changed.connect(relations_changed, sender=through, dispatch_uid=f"search-{name}")
