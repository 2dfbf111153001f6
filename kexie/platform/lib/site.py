"""The site's name (``SITE_NAME``) in the reader's language."""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

#: The name the portal ships with (``SITE_NAME``'s default), marked so that the
#: English catalogue holds it; a deployment that sets another name reads as written.
SHIPPED_SITE_NAME = gettext_noop("平湖市科学技术协会")


def site_name() -> str:
    return gettext(settings.SITE_NAME) if settings.SITE_NAME else ""


#: For a context built before the language is known (a message rendered later
#: under its recipient's language, a view's keyword arguments built at import).
site_name_lazy = lazy(site_name, str)
