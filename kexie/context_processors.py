from django.conf import settings

from kexie.platform.lib.site import site_name


def site(request):
    return {
        "SITE_NAME": site_name(),
        "SITE_REGION": settings.SITE_REGION,
        # Absolute links where a page is read elsewhere (social previews).
        "SITE_URL": settings.SITE_URL,
    }
