"""Where "back" leads on the portal's own error pages."""

from django.utils.http import url_has_allowed_host_and_scheme


def back_url(request) -> str:
    """The page the visitor came from when it is on this site, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    return (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else "/"
    )
