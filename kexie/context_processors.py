from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_REGION": settings.SITE_REGION,
        # Absolute links where a page is read elsewhere (social previews).
        "SITE_URL": settings.SITE_URL,
    }
