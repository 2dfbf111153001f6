from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.admin_doors import ReadOnlyAdminMixin, service_action
from kexie.platform.lib.admin_lists import LargeTableAdminMixin
from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_retry


@admin.register(Notification)
class NotificationAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """What the portal sent or will send: its status and attempts are its own
    record. The secret a message carries is never shown."""

    list_display = [
        "created_at",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    fields = [f.name for f in Notification._meta.fields if f.name != "secret"]
    actions = ["deliver_now"]

    deliver_now = service_action(
        description=_("立即重试发送"),
        service=notification_retry,
        target="notification",
        done_message=_("已重试发送 %(count)s 条通知（未成功的稍后自动重试）。"),
    )
