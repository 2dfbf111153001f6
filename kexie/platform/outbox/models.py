from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What the stored bodies show where the secret goes: ASCII, so that it survives
# reverse() in a link unchanged.
SECRET_MARK = "SECRET-HIDDEN"  # noqa: S105  (a placeholder, not a secret)
# What a person reading their own messages sees there instead: the mark is an
# English word in a Chinese sentence ("验证码SECRET-HIDDEN，10分钟内有效").
SECRET_SHOWN = "******"  # noqa: S105  (a mask, not a secret)


class Notification(models.Model):
    """One message to one recipient, written in the transaction that caused it.

    Delivery happens afterwards, by a task enqueued on commit or, if that task
    was lost, by the periodic sweep. ``dedupe_key`` names the occasion
    ("reminder:registration:42"): a second attempt to notify the same occasion
    finds the existing row instead of writing a new one.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("收件人"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    body_html = models.TextField(_("HTML 正文"), blank=True)
    # A secret the message carries (a one-time code, a reset token) is kept
    # out of the bodies, which show SECRET_MARK in its place; it is put in at
    # delivery and erased once the row is sent or has failed for good. Never
    # shown in the admin.
    secret = models.CharField(max_length=200, blank=True, editable=False)
    # Unique by a constraint rather than ``unique=True``: the same index
    # without the pattern-ops copy PostgreSQL gets for a unique text column,
    # which no query uses (the admin's search is a case-insensitive
    # ``LIKE '%…%'``) and each message wrote twice (its insert, its update
    # when sent). NULL, not "", for a message without one: NULLs never collide.
    dedupe_key = models.CharField(  # noqa: DJ001
        _("去重键"), max_length=200, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = pgettext_lazy("several", "通知")
        ordering = ["-created_at"]
        indexes = [
            # What a drain and the sweep send next, in their order: the first
            # due row is the index's first entry. On ``next_attempt_at`` alone,
            # every pending row was read and sorted by id to find it (a storm's
            # backlog of receipts for each one sent).
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="outbox_pending_next",
            ),
            # The admin's list, newest first, and its date hierarchy's first
            # and last day, read from the index's ends at 200,000 messages.
            models.Index(fields=["created_at", "id"], name="outbox_created"),
            # The admin's list filtered to the few not sent (pending, failed):
            # a scan of every message without it (238 ms at 200,000).
            models.Index(
                fields=["created_at", "id"],
                condition=~models.Q(status="sent"),
                name="outbox_unsent_created",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="outbox_dedupe_key_unique"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:30]}"

    @property
    def body_shown(self) -> str:
        """The body as its recipient may read it again: the secret masked."""
        return self.body.replace(SECRET_MARK, SECRET_SHOWN)
