from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicturesConfig(AppConfig):
    name = "kexie.platform.pictures"
    label = "pictures"
    verbose_name = _("图片")

    def ready(self):
        from kexie.platform.accounts.roles import grant_managers

        # Managers add posters and photos to their own events.
        grant_managers("pictures.view_picture", "pictures.add_picture", "pictures.change_picture")
