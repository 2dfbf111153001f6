"""Where private uploads live: under ``PRIVATE_MEDIA_ROOT``, never served by
the web server, so every download goes through a view that checks access.

(The same as ``experts.storage``, which its migrations name; new apps use this one.)
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="kexie.platform.lib.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    # Read the setting on each use, so a changed PRIVATE_MEDIA_ROOT (tests,
    # deployments) takes effect without re-importing the models.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


@deconstructible(path="kexie.platform.lib.storage.PublicStorage")
class PublicStorage(FileSystemStorage):
    """``MEDIA_ROOT`` read on each use (tests point it at a temporary folder)."""

    @property
    def base_location(self):
        return str(settings.MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return settings.MEDIA_URL
