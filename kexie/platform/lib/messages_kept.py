"""Message storage whose signed cookie value is computed once per message list.

A sign-up's redirect carries one of two messages (issue 15: signing them,
serializing, compressing and hashing, was 3-4 % of the sign-up's CPU). The
cookie's value is a function of the messages, the signing key and the salt
only (Django's cookie storage signs without a timestamp), so it is kept in the
process under exactly those: the same bytes as Django's own ``CookieStorage``.
"""

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage

# Few distinct lists are stored (the services' fixed wordings); a bound keeps
# messages that quote what a user typed from filling the process.
_KEPT_AT_MOST = 256
_kept: dict[tuple, str | None] = {}


class KeptCookieStorage(CookieStorage):
    def _encode_parts(self, messages, encode_empty=False):
        # ``messages``: each message already serialized to JSON text.
        if not (messages or encode_empty):
            return None
        signer = self.signer
        key = (tuple(messages), signer.key, signer.salt, signer.sep, signer.algorithm)
        value = _kept.get(key)
        if value is None:
            if len(_kept) >= _KEPT_AT_MOST:
                _kept.clear()
            value = _kept[key] = super()._encode_parts(messages, encode_empty=encode_empty)
        return value


class KeptFallbackStorage(FallbackStorage):
    """Django's default storage (the cookie, then the session), with the cookie's
    value kept (``KeptCookieStorage``)."""

    storage_classes = (KeptCookieStorage, SessionStorage)
