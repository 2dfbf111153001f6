from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kexie.platform.outbox.models import Notification
from kexie.platform.outbox.services import notification_deliver


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
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
    # The secret a message carries is never shown (it is not editable, so it
    # is on no form either).
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "secret"]
    actions = ["deliver_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("立即重试发送"))
    def deliver_now(self, request, queryset):
        queryset.filter(status=Notification.Status.FAILED).update(
            status=Notification.Status.PENDING, attempts=0
        )
        queryset.filter(status=Notification.Status.PENDING).update(next_attempt_at=timezone.now())
        sent = sum(
            notification_deliver(notification_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("已发送 %(count)d 条通知。", "已发送 %(count)d 条通知。", sent)
            % {"count": sent},
            messages.SUCCESS,
        )
