"""Accounts: opening one at once, and proving its addresses afterwards.

Registering opens the account in one step and logs the person in, whatever
they typed: the phone number and mailbox are kept as *pending* until a
one-time code proves them. So registering answers the same for an address
that has an account and for one that has none (nobody learns which addresses
are known by trying), and the portal never sends a message to an address its
owner has not proven. Whether an address already belongs to another account
is said only to whoever proved it with a code.
"""

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kexie.platform.accounts.backends import normalize_login
from kexie.platform.accounts.models import User
from kexie.platform.lib.validators import normalize_phone
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create
from kexie.platform.verification import services as verification

# Proving the addresses typed at registration (apps read a proof made in this
# session, e.g. to link an expert record staff made for that address).
REGISTER_PURPOSE = "register"
SELF_SERVICE_ROLES = (User.Role.PUBLIC, User.Role.ENTERPRISE, User.Role.EXPERT)


def _addresses(*, phone: str, email: str) -> tuple[str, str]:
    return normalize_phone(phone or ""), (email or "").strip().lower()


def account_password_check(*, name: str, phone: str, email: str, password: str) -> None:
    """Raise ``ValidationError`` when ``password`` breaks a password rule for
    this would-be account (it must not resemble the name or the addresses)."""
    phone, email = _addresses(phone=phone, email=email)
    would_be = User(name=name, email=email or None, phone=phone or None)
    password_validation.validate_password(password, would_be)


def account_register(
    *, name: str, phone: str, email: str, role: str, password: str, language: str = ""
) -> User:
    """Open an account with its addresses pending; the caller logs it in.
    ``language``: the registration page's, which the account's messages are
    written in until the person chooses another."""
    phone, email = _addresses(phone=phone, email=email)
    if role not in SELF_SERVICE_ROLES:
        raise ValidationError({"role": _("请选择身份。")}, code="role")
    if not phone and not email:
        raise ValidationError(_("请至少填写手机号码或电子邮箱之一。"), code="no_address")
    user = User(
        name=(name or "").strip(),
        role=role,
        pending_phone=phone,
        pending_email=email,
        language=language or settings.LANGUAGE_CODE,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def account_language_set(*, user: User, language: str) -> User:
    """Write the account's messages in ``language`` from now on."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("请选择语言。")}, code="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def account_profile_update(*, user: User, name: str, phone: str, email: str) -> User:
    """The member's own name, at once; a new phone number or mailbox is kept
    pending until a code proves it (``account_address_prove`` then puts it in
    place of the old one). An empty address or the proven one leaves nothing
    pending; a proven address is never taken away here."""
    phone, email = _addresses(phone=phone, email=email)
    user.name = (name or "").strip()
    user.pending_phone = phone if phone != (user.phone or "") else ""
    user.pending_email = email if email != (user.email or "") else ""
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "pending_phone", "pending_email"])
    return user


def _pending_field(user: User, address: str) -> str | None:
    if address and address == user.pending_email:
        return "email"
    if address and address == user.pending_phone:
        return "phone"
    return None


def account_address_code_send(*, user: User, address: str, request) -> None:
    """Send a code to one of the user's pending addresses (and nowhere else)."""
    if _pending_field(user, address) is None:
        raise ValidationError(_("只能验证本账户待验证的手机号码或电子邮箱。"), code="not_pending")
    verification.code_request(purpose=REGISTER_PURPOSE, address=address, request=request)


@transaction.atomic
def account_address_prove(*, user: User, address: str, code: str, request=None) -> User:
    """Make a pending address the account's own once ``code`` proves it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    field = _pending_field(user, address)
    if field is None:
        raise ValidationError(_("只能验证本账户待验证的手机号码或电子邮箱。"), code="not_pending")
    verification.code_verify(purpose=REGISTER_PURPOSE, address=address, code=code, request=request)
    taken = ValidationError(
        _("这个地址已属于另一个账户：请用那个账户登录，忘记密码可以找回。"), code="taken"
    )
    lookup = {"email__iexact": address} if field == "email" else {"phone": address}
    if User.objects.filter(**lookup).exclude(pk=user.pk).exists():
        raise taken
    setattr(user, field, address)
    setattr(user, f"pending_{field}", "")
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save(update_fields=[field, f"pending_{field}"])
    except IntegrityError:
        raise taken from None
    return user


def account_login_unlock(*, user: User) -> int:
    """End the log-in lockout of the account's own addresses (the failed
    tries counted under them, from every network address): whoever has just
    set a new password through the link mailed to the proven mailbox owns the
    account, and the lockout page sends them there. Returns the tries forgotten."""
    from axes.utils import reset

    identifiers = {normalize_login(address) for address in (user.email, user.phone) if address}
    return sum(reset(username=identifier) for identifier in identifiers)


def password_reset_send(*, address: str) -> int:
    """Send a link to set a new password to each active account whose proven
    mailbox (by e-mail) or mobile number (by SMS) is ``address``, as the reset
    form cleaned it; none when no account has it. Returns how many.

    Run by a task (``accounts.tasks.password_reset_send``), never in the
    request: done there, a known address's answer took 20-40 ms longer than an
    unknown one's (the message rendered and written), which told a stranger
    who has an account. The link is built from ``SITE_URL``, never from a
    request's Host; the token travels as the message's secret, kept out of the
    body staff can read."""
    by_phone = "@" not in address
    # Proven addresses only: a pending one is nobody's yet.
    found = {"phone": address} if by_phone else {"email__iexact": address}
    users = User._default_manager.filter(**found, is_active=True).exclude(
        password__startswith="!"  # noqa: S106  (Django marks unusable passwords with "!")
    )
    sent = 0
    for user in users:
        notification_create(
            channel=Notification.Channel.SMS if by_phone else Notification.Channel.EMAIL,
            recipient=user.phone if by_phone else user.email,
            template="password-reset",
            context={"uid": urlsafe_base64_encode(force_bytes(user.pk)), "user": user},
            secret=default_token_generator.make_token(user),
            language=user.language,
        )
        sent += 1
    return sent
