"""Accounts: opening one, proven by a one-time code."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification
from kexie.platform.verification import services as verification

REGISTER_PURPOSE = "register"
SELF_SERVICE_ROLES = (User.Role.PUBLIC, User.Role.ENTERPRISE, User.Role.EXPERT)


def _unsaved_user(*, name: str, contact: str, role: str) -> User:
    channel, address = verification.normalize_address(contact)
    if channel == Notification.Channel.EMAIL:
        return User(name=name, email=address, role=role)
    return User(name=name, phone=address, role=role)


def account_password_check(*, name: str, contact: str, role: str, password: str) -> None:
    """Raise ``ValidationError`` when ``password`` breaks a password rule for
    this would-be account."""
    password_validation.validate_password(
        password, _unsaved_user(name=name, contact=contact, role=role)
    )


@transaction.atomic
def account_register(*, name: str, contact: str, code: str, role: str, password: str) -> User:
    """Open an account for the phone number or mailbox ``contact``, once the
    code sent to it proves it is the visitor's.

    Whether an address already has an account is said only after the code
    is right, to its owner: nobody learns which addresses are known by trying.
    """
    if role not in SELF_SERVICE_ROLES:
        raise ValidationError({"role": _("请选择身份。")}, code="role")
    try:
        address = verification.code_verify(purpose=REGISTER_PURPOSE, address=contact, code=code)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}, code=exc.code) from None
    if User.objects.filter(Q(email__iexact=address) | Q(phone=address)).exists():
        raise ValidationError(
            {"contact": _("这个手机号码或电子邮箱已有账户，请直接登录；忘记密码可以找回。")},
            code="taken",
        )
    user = _unsaved_user(name=(name or "").strip(), contact=address, role=role)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
