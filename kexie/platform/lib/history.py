"""A cheaper history for django-simple-history, writing the same rows.

- Its descriptor builds a new manager class on every access
  (``HistoryManager.from_queryset``, which walks the queryset class with
  ``inspect``), and it reads ``instance.history`` once for every historical
  row it writes: a tenth of a sign-up's CPU went there. The class depends on
  the descriptor only, so it is built once per descriptor here; each access
  still gets its own manager bound to its instance, as before.
- Each historical row is written with a bare ``save()`` of a new row: that
  insert goes through ``prepared.insert`` (its SQL built once per model, the
  same values and signals). Any other save is Django's own.
"""

from django.db import models
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalChanges, HistoricalRecords

from kexie.platform.lib.prepared import insert


def _get(self, instance, owner):
    manager_class = self.__dict__.get("_manager_class_built")
    if manager_class is None:
        manager_class = self.manager_class.from_queryset(self.queryset_class)
        self._manager_class_built = manager_class
    return manager_class(self.model, instance)


def _save(self, *args, using=None, **kwargs):
    if not args and not kwargs and self._state.adding and self.pk is None:
        insert(self, using=using)
        return
    super(HistoricalChanges, self).save(*args, using=using, **kwargs)


class RowHistoricalRecords(HistoricalRecords):
    """History only ever read one row's at a time (``row.history``: the
    admin's history page, a privacy scrub by ``id``), for a model written in
    bulk (a sign-up storm): its history table indexes ``id`` and
    ``history_user`` only; pass ``no_db_index`` for the copied fields no
    query looks up. ``history_date`` gets no index of its own (one row's
    few versions are sorted as they are read). ``history_user`` is indexed
    where set only (``<model>_history_user``): it is read by ``= …`` or
    ``IN (…)`` (a user's removal sets it to NULL), which a NULL never
    matches, and the rows written without a signed-in user (a storm's
    anonymous sign-ups) write no entry there."""

    _date_indexing = False

    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        user = fields.get("history_user")
        if isinstance(user, models.ForeignKey):
            user.db_index = False
        return fields

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        if self.user_id_field is None:
            meta["indexes"] = (
                *meta.get("indexes", ()),
                models.Index(
                    fields=["history_user"],
                    condition=models.Q(history_user__isnull=False),
                    name=f"{model._meta.model_name[:17]}_history_user",
                ),
            )
        return meta


def install() -> None:
    """Called once from ``KexieConfig.ready``."""
    HistoryDescriptor.__get__ = _get
    HistoricalChanges.save = _save
