"""One-time codes that prove a mobile number or a mailbox, for one purpose.

- ``code_request`` sends one fixed-text message holding a fresh code; nothing
  the visitor typed goes into it but the address it goes to. It answers the
  same whether or not the address belongs to an account (it never looks), is
  limited per network address and per recipient (``code_request`` in
  ``kexie.platform.limits``), and supersedes the address's earlier codes for
  the purpose.
- The code is stored only as a keyed hash (HMAC with ``SECRET_KEY``), expires
  after ``VERIFICATION_CODE_SECONDS`` and allows ``VERIFICATION_MAX_ATTEMPTS``
  wrong tries; the outbox row that carries it keeps it out of the body staff
  can read and erases it once sent.
- ``code_verify`` consumes a right code. The caller then remembers the proven
  address where it needs it, e.g. in the session with ``remember_proven``.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from kexie.platform import limits
from kexie.platform.lib.validators import normalize_digits, normalize_phone, validate_mobile
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_create
from kexie.platform.verification.models import VerificationCode

PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")
CODE_LENGTH = 6
SESSION_KEY = "verification.proven"


def normalize_address(address: str) -> tuple[str, str]:
    """(channel, address): a mailbox in lower case, or a mobile number in ASCII
    digits. Raises a translated ``ValidationError`` for anything else."""
    value = (address or "").strip()
    if "@" in value:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("请输入有效的电子邮箱。"), code="invalid_email") from None
        return Notification.Channel.EMAIL, value
    value = normalize_phone(value)
    validate_mobile(value)
    return Notification.Channel.SMS, value


def _check_purpose(purpose: str) -> None:
    if not PURPOSE_RE.match(purpose or ""):
        raise ValueError(f"Bad verification purpose {purpose!r}")


def _hash(*, purpose: str, address: str, code: str) -> str:
    return salted_hmac(
        "kexie.platform.verification", f"{purpose}\n{address}\n{code}", algorithm="sha256"
    ).hexdigest()


def code_request(*, purpose: str, address: str, request) -> VerificationCode:
    """Send a new code for ``purpose`` to ``address``.

    Raises ``ValidationError`` for an address that is not a mobile number or a
    mailbox, and ``limits.RateLimited`` over the limits; otherwise returns the
    stored code's row (a form's consent record names it), which is made the
    same way for every address, so a caller cannot tell a known address from
    an unknown one.
    """
    _check_purpose(purpose)
    channel, address = normalize_address(address)
    limits.hit(request, "code_request", key=address)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
    now = timezone.now()
    lifetime = settings.VERIFICATION_CODE_SECONDS
    with transaction.atomic():
        # Only the newest code of an address and purpose is good.
        VerificationCode.objects.filter(
            purpose=purpose, address=address, used_at__isnull=True
        ).delete()
        row = VerificationCode(
            purpose=purpose,
            address=address,
            code_hash=_hash(purpose=purpose, address=address, code=code),
            created_at=now,
            expires_at=now + timedelta(seconds=lifetime),
        )
        row.full_clean()
        row.save()
        notification_create(
            channel=channel,
            recipient=address,
            template="verification-code",
            context={"minutes": max(1, lifetime // 60)},
            secret=code,
            # In the language of the page that asked for it.
            language=getattr(request, "LANGUAGE_CODE", None),
        )
    return row


def code_verify(*, purpose: str, address: str, code: str, request=None) -> str:
    """Consume the code if it is right; returns the normalised address.

    Raises a translated ``ValidationError`` when the code is wrong, expired,
    already used or out of attempts (and ``limits.RateLimited`` past the
    ``code_verify`` limit when ``request`` is given).
    """
    _check_purpose(purpose)
    address = normalize_address(address)[1]
    if request is not None:
        limits.hit(request, "code_verify")
    code = re.sub(r"\s", "", normalize_digits(code or ""))
    now = timezone.now()
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update()
            .filter(purpose=purpose, address=address, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            error = ValidationError(_("验证码已失效，请重新获取。"), code="expired")
        elif row.attempts >= settings.VERIFICATION_MAX_ATTEMPTS:
            error = ValidationError(_("验证码错误次数过多，请重新获取。"), code="attempts")
        elif not constant_time_compare(
            _hash(purpose=purpose, address=address, code=code), row.code_hash
        ):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            error = ValidationError(_("验证码不正确，请核对后重新输入。"), code="wrong")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            return address
    raise error


def verification_purge(*, older_than_days: int = 1) -> int:
    """Delete codes that expired more than ``older_than_days`` ago."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted = VerificationCode.objects.filter(expires_at__lt=cutoff).delete()[0]
    return deleted


def remember_proven(request, purpose: str, address: str) -> None:
    """Remember in the session that the visitor proved ``address`` for
    ``purpose`` (for ``VERIFICATION_PROVEN_SECONDS``)."""
    _check_purpose(purpose)
    address = normalize_address(address)[1]
    proven = dict(request.session.get(SESSION_KEY) or {})
    proven[purpose] = {"address": address, "at": int(timezone.now().timestamp())}
    request.session[SESSION_KEY] = proven


def proven_address(request, purpose: str) -> str | None:
    """The address the visitor proved for ``purpose`` lately, or None."""
    entry = (request.session.get(SESSION_KEY) or {}).get(purpose)
    if not entry:
        return None
    age = timezone.now().timestamp() - entry.get("at", 0)
    if not 0 <= age <= settings.VERIFICATION_PROVEN_SECONDS:
        return None
    return entry.get("address")


def forget_proven(request, purpose: str) -> None:
    proven = dict(request.session.get(SESSION_KEY) or {})
    if proven.pop(purpose, None) is not None:
        request.session[SESSION_KEY] = proven
