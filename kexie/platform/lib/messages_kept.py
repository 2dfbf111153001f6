"""Message storage whose signed cookie value is computed once per message list
and second.

A sign-up's redirect carries one of two messages (issue 15: serializing them,
compressing, and signing, was 3-4 % of the sign-up's CPU). The cookie's value
is a function of the messages, the signing key and salt, and the second it is
signed in (Django's default signer, ``TimestampSigner``, puts the time in
seconds into the value). So it is kept in the process under exactly those,
for the second it names: the same bytes as Django's own ``CookieStorage``
signing at that moment. A storm's sign-ups in one second share it.
"""

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage

# Few distinct lists are stored in one second (the services' fixed wordings);
# a bound keeps messages that quote what a user typed from filling the process.
_KEPT_AT_MOST = 256
# The values signed in one second (``_moment``), by messages and signer.
_kept: dict[tuple, str] = {}
_moment: list = [None]


def _signed_at(signer):
    """The time the signer puts into a value signed now (None: no time)."""
    timestamp = getattr(signer, "timestamp", None)
    return timestamp() if timestamp is not None else None


class KeptCookieStorage(CookieStorage):
    def _encode_parts(self, messages, encode_empty=False):
        # ``messages``: each message already serialized to JSON text.
        if not (messages or encode_empty):
            return None
        signer = self.signer
        key = (tuple(messages), signer.key, signer.salt, signer.sep, signer.algorithm)
        moment = _signed_at(signer)
        if moment == _moment[0]:
            value = _kept.get(key)
            if value is not None:
                return value
        value = super()._encode_parts(messages, encode_empty=encode_empty)
        # Kept under the time the value holds (the clock may have ticked since
        # ``moment`` was read).
        signed = value.rsplit(signer.sep, 2)[-2] if moment is not None else None
        if signed != _moment[0] or len(_kept) >= _KEPT_AT_MOST:
            _kept.clear()
            _moment[0] = signed
        _kept[key] = value
        return value


class KeptFallbackStorage(FallbackStorage):
    """Django's default storage (the cookie, then the session), with the cookie's
    value kept (``KeptCookieStorage``)."""

    storage_classes = (KeptCookieStorage, SessionStorage)
