"""What the platform itself holds about a phone number: messages sent to it
(the outbox) and an account registered with it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.platform.accounts.models import User
from kexie.platform.outbox.models import Notification


def find_messages(phone: str) -> list[dict]:
    rows = Notification.objects.filter(recipient=phone).order_by("-created_at")[:200]
    return [
        {
            _("记录"): _("发给您的短信"),
            _("时间"): timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
            _("内容"): row.body,
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
            _("说明"): _("账户需登录后在账户设置中注销，或联系工作人员办理。"),
        }
        for user in User.objects.filter(phone=phone)
    ]


def register() -> None:
    from kexie.platform.privacy.registry import register_source

    register_source(
        "messages", label=gettext_lazy("短信记录"), find=find_messages, erase=erase_messages
    )
    register_source("account", label=gettext_lazy("账户"), find=find_account, erase=lambda p: 0)
