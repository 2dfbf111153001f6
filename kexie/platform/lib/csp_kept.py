"""django-csp's middleware with the policy built once per process.

The portal's policy is the same for every response: no view changes it
(``csp_update``, ``csp_replace``, ``csp_exempt``) and no page uses a nonce
(no inline scripts or styles). django-csp builds the header again for every
response, which cost a sign-up POST as much as its seat decision (issue 15).
Here the header is built once from the settings, and set under django-csp's
own conditions (not already set, the URL not excluded, the response not
exempt, debug pages of a 404/500 left alone). A response or request that does
change the policy (a decorator's attribute, a nonce used) is handed to
django-csp as before. The kept header is built again when a setting changes
(tests).
"""

import http.client as http_client
from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_DEBUG_CODES = (http_client.INTERNAL_SERVER_ERROR, http_client.NOT_FOUND)

# (header, setting) for the enforced policy and the report-only one, or None
# until the first response.
_kept: list | None = None


@receiver(setting_changed)
def _forget(setting, **kwargs):
    global _kept
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _kept = None


def _policies() -> list:
    global _kept
    if _kept is None:
        _kept = [
            (
                HEADER,
                build_policy(**asdict(PolicyParts())),
                getattr(settings, "CONTENT_SECURITY_POLICY", None) or {},
            ),
            (
                HEADER_REPORT_ONLY,
                build_policy(**asdict(PolicyParts()), report_only=True),
                getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {},
            ),
        ]
    return _kept


class KeptPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_CODES and settings.DEBUG:
            return response
        for (header, policy, setting), exempt in zip(
            _policies(), ("_csp_exempt", "_csp_exempt_ro"), strict=True
        ):
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(
                    tuple(setting.get("EXCLUDE_URL_PREFIXES", None) or ())
                )
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
