"""The language messages to someone are written in, as a field of what stands
for them: an account, a sign-up, a lecture request, an expert's profile."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def message_language_field(verbose_name=None, **options) -> models.CharField:
    """One of the site's languages, Chinese by default; the outbox writes in it
    (``outbox.services.message_language``)."""
    return models.CharField(
        verbose_name or _("语言"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        **options,
    )
