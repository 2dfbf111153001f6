"""Stored files opened for a download. A file lost from the disk (a restore
without the media folder, a deleted file) is a 404 for the visitor and an
error in the log for staff, never a 500."""

import logging

from django.db.models.fields.files import FieldFile
from django.http import Http404

log = logging.getLogger(__name__)


def open_or_404(stored: FieldFile):
    """``stored`` opened for reading in binary."""
    try:
        return stored.open("rb")
    except FileNotFoundError:
        log.error("stored file missing: %s (%s)", stored.name, stored.instance._meta.label_lower)
        raise Http404 from None
