"""The random characters of CSRF tokens, drawn from one read of the system's
randomness instead of one read per character.

Every page with a form (every signed-in page: the header's sign-out form)
masks the visitor's CSRF secret with 32 random characters, and a visitor
without the cookie gets a new secret of 32 more. Django draws each character
with ``secrets.choice``, one ``getrandom`` system call per character: 33
system calls a page, 65 for a new visitor, about a tenth of a millisecond of
the worker's time on this machine (``strace -c`` on the staff workbench,
``bench/signed_in_profile.py``).

``install()`` (from ``KexieConfig.ready``) puts in Django's place
(``django.middleware.csrf``):
- ``_get_new_csrf_string``: the same length and alphabet, each character
  uniform over it, from ``os.urandom`` as ``secrets`` reads it: bytes below
  248 (four times the 62 characters) map to a character, the others are
  dropped and more are read if too few remain;
- ``_mask_cipher_secret``: the same sum of the secret's and the mask's
  characters, character by character, read from a table of every pair
  instead of two ``str.index`` calls per character.

Django's ``_unmask_cipher_token`` reads such a token as its own (tested).
"""

import os

from django.middleware import csrf

_CHARS = csrf.CSRF_ALLOWED_CHARS
_LENGTH = csrf.CSRF_SECRET_LENGTH
# Each byte below _KEEP stands for one character, each character for as many bytes.
_KEEP = 256 - 256 % len(_CHARS)
_TABLE = bytes(ord(_CHARS[b % len(_CHARS)]) if b < _KEEP else 0 for b in range(256))
_DROP = bytes(range(_KEEP, 256))
#: (secret's character, mask's character) → the cipher's, as Django adds them.
_SUM = {
    (a, b): _CHARS[(i + j) % len(_CHARS)]
    for i, a in enumerate(_CHARS)
    for j, b in enumerate(_CHARS)
}


def new_csrf_string() -> str:
    """``_LENGTH`` characters of ``CSRF_ALLOWED_CHARS``, each uniformly random."""
    drawn = b""
    while len(drawn) < _LENGTH:
        drawn += os.urandom(_LENGTH + 8).translate(_TABLE, _DROP)
    return drawn[:_LENGTH].decode("ascii")


def mask_cipher_secret(secret: str) -> str:
    """A new mask followed by the secret ciphered with it (Django's token)."""
    mask = new_csrf_string()
    # As long as the shorter of the two, as Django's own (both are 32).
    return mask + "".join(map(_SUM.__getitem__, zip(secret, mask, strict=False)))


def install() -> None:
    """Called once from ``KexieConfig.ready``; ``get_token`` and
    ``rotate_token`` look both up in their module when they run."""
    csrf._get_new_csrf_string = new_csrf_string
    csrf._mask_cipher_secret = mask_cipher_secret
