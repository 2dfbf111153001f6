from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from kexie.platform.accounts import sessions
from kexie.platform.lib.prepared import Prepared
from kexie.platform.lib.validators import normalize_phone

# Every signed-in request reads its user by id: the SQL built once.
_USER = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk).order_by())


def normalize_login(identifier: str | None) -> str:
    """The one spelling of what someone types to log in: a mailbox in lower
    case, a phone number in ASCII digits, without surrounding white space
    (tabs included). The lockout counts failures under this spelling, and the
    backend looks the account up by it, so ``Name@x``, `` name@x `` and
    ``name@x<TAB>`` are one account with one count."""
    value = (identifier or "").strip()
    if "@" in value:
        return value.lower()
    return normalize_phone(value)


def lockout_username(request, credentials: dict | None = None) -> str:
    """``AXES_USERNAME_CALLABLE``: the username as ``normalize_login`` spells it."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        raw = getattr(request, "data", request.POST).get(field)
    return normalize_login(raw)


class PhoneOrEmailBackend(ModelBackend):
    """Authenticates with a phone number or an e-mail address in ``username``.

    The account that has proven the address comes first; then the newest few
    accounts that typed it at registration and have not proven it yet (the
    password tells them apart), so a new account can log in again before it
    proves its address, and nobody can take over an address by typing it.
    """

    PENDING_CANDIDATES = 3

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        identifier = normalize_login(username)
        if "@" in identifier:
            proven = User._default_manager.filter(email__iexact=identifier)
            pending = User._default_manager.filter(pending_email=identifier)
        else:
            proven = User._default_manager.filter(phone=identifier)
            pending = User._default_manager.filter(pending_phone=identifier)
        candidates = [
            *proven,
            *pending.order_by("-date_joined", "-pk")[: self.PENDING_CANDIDATES],
        ]
        if not candidates:
            # Run the hasher anyway so that timing does not reveal which
            # accounts exist.
            User().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None

    def get_user(self, user_id):
        """``ModelBackend.get_user``: the user read with the request's session
        when that session names this id (``sessions.user_read_with_session``),
        else by its id with a statement built once (``_USER``)."""
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = sessions.user_read_with_session(pk)
        if user is sessions.NOT_READ:
            user = _USER.first(pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
