"""What the platform itself holds about a phone number: messages sent to it
(the outbox) and an account registered with it; and about a signed-in
account: the account itself and the messages sent to its mailbox."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification


def find_messages(phone: str) -> list[dict]:
    rows = Notification.objects.filter(recipient=phone).order_by("-created_at")[:200]
    return [
        {
            _("记录"): _("发给您的邮件")
            if row.channel == Notification.Channel.EMAIL
            else _("发给您的短信"),
            _("时间"): timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
            _("内容"): row.body_shown,
            _("状态"): row.get_status_display(),
        }
        for row in rows
    ]


def erase_messages(phone: str) -> int:
    return Notification.objects.filter(recipient=phone).delete()[0]


def find_account(phone: str) -> list[dict]:
    return [
        {
            _("记录"): _("账户"),
            _("姓名"): user.name,
            _("手机号码"): user.phone,
            _("电子邮箱"): user.email,
            _("说明"): _("账户需登录后在“我的账户”页面注销，或联系工作人员办理。"),
        }
        for user in User.objects.filter(phone=phone)
    ]


CLOSED_NAME = "（已注销）"


def _addresses(user) -> list[str]:
    """The account's own mailbox, once proven. A pending address is only a
    claim: anyone may type another person's number or mailbox at
    registration, so what was sent there is that person's, never shown to
    the account nor erased with it. (The proven number's messages come with
    the number's own sources.)"""
    return [user.email] if user.email else []


def find_own_account(user) -> list[dict]:
    row = {
        _("记录"): _("账户"),
        _("姓名"): user.name,
        _("手机号码"): user.phone or "",
        _("电子邮箱"): user.email or "",
        _("角色"): user.get_role_display(),
        _("注册时间"): timezone.localtime(user.date_joined).strftime("%Y-%m-%d %H:%M"),
    }
    if user.pending_addresses:
        row[_("待验证的手机号码或邮箱")] = "，".join(user.pending_addresses)
    rows = [row]
    for address in _addresses(user):
        rows.extend(find_messages(address))
    return rows


def erase_own_account(user) -> int:
    """Close the account: the row stays (what it did is still counted and
    its history still names a user), the person goes: name, addresses,
    password, and the same in its change history; messages to its mailbox
    are deleted."""
    changed = sum(erase_messages(address) for address in _addresses(user))
    closed = f"closed-{user.pk}@account.invalid"
    scrubbed = {
        "name": CLOSED_NAME,
        "email": None,
        "phone": None,
        # The table requires one address; .invalid never receives mail, and
        # only proven addresses are ever written to.
        "pending_email": closed,
        "pending_phone": "",
    }
    for field, value in scrubbed.items():
        setattr(user, field, value)
    user.is_active = False
    user.set_unusable_password()
    user.save()
    User.history.filter(id=user.pk).update(**scrubbed)
    return changed + 1


def register() -> None:
    from kexie.platform.privacy.registry import register_account_source, register_source

    register_account_source(
        "account", label=gettext_lazy("账户"), find=find_own_account, erase=erase_own_account
    )

    register_source(
        "messages", label=gettext_lazy("短信记录"), find=find_messages, erase=erase_messages
    )
    register_source("account", label=gettext_lazy("账户"), find=find_account, erase=lambda p: 0)
