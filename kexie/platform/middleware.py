from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_of(request) -> str:
    """The language the visitor chose with the switcher, else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = any(chosen == code for code, _name in settings.LANGUAGES)
    return chosen if supported else settings.LANGUAGE_CODE


class CookieLocaleMiddleware:
    """Chinese unless the visitor chose otherwise with the language switcher.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which
    would show English to staff whose computers happen to be set up in English.
    The portal is Chinese first, so only an explicit choice (the cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
