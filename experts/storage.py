"""Where private uploads live: under ``PRIVATE_MEDIA_ROOT``, never served by
the web server, so every download goes through a view that checks access."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="experts.storage.PrivateMediaStorage")
class PrivateMediaStorage(FileSystemStorage):
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
