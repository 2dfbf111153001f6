"""The POST of each step of proving a phone number (the number, then the code),
shared by the views that ask for one; each view keeps its pages and redirects."""

from django.core.exceptions import ValidationError

from kexie.platform import limits
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.verification import services as verification


def send_code(request, form, *, purpose: str, pending_key: str):
    """Send a code to the number of the posted ``form`` and keep the number in
    the session under ``pending_key``. Returns the code's row and 200, or None
    and the status to answer with, the reason added to the form."""
    if not form.is_valid():
        return None, 400
    phone = normalize_phone(form.cleaned_data["phone"])
    try:
        sent = verification.code_request(purpose=purpose, address=phone, request=request)
    except limits.RateLimited as exc:
        form.add_error(None, exc.messages)
        return None, 429
    except ValidationError as exc:
        form.add_error("phone", exc.messages)
        return None, 400
    request.session[pending_key] = phone
    return sent, 200


def verify(request, form, *, purpose: str, address: str, code: str) -> int | None:
    """Check ``code`` for ``address``; None once proven (remembered in the
    session), else the status to answer with, the reason added to the form."""
    try:
        verification.code_verify(purpose=purpose, address=address, code=code, request=request)
    except limits.RateLimited as exc:
        form.add_error(None, exc.messages)
        return 429
    except ValidationError as exc:
        form.add_error("code", exc.messages)
        return 400
    verification.remember_proven(request, purpose, address)
    return None


def check_code(request, form, *, purpose: str, address: str, pending_key: str) -> int | None:
    """The POST of the code step (``CodeForm``): ``verify`` the posted code,
    then forget the number waiting for it."""
    if not form.is_valid():
        return 400
    refused = verify(
        request, form, purpose=purpose, address=address, code=form.cleaned_data["code"]
    )
    if refused is None:
        request.session.pop(pending_key, None)
    return refused
