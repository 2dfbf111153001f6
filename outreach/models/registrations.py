import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kexie.platform.lib.history import RowHistoricalRecords
from kexie.platform.lib.kept_urls import kept_reverse
from kexie.platform.lib.validators import mask_phone, validate_mobile
from kexie.platform.outbox.fields import message_language_field
from outreach.models.events import Event


def new_registration_code() -> str:
    # 128 bits: the code is the only key to a sign-up, so it must not be guessable.
    return secrets.token_urlsafe(16)


class Registration(models.Model):
    """A sign-up for an event (报名). ``code`` is the private key of the
    registrant's link and of the QR code shown at the door."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("已确认")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已签到")
        NO_SHOW = "no_show", _("未到场")

    #: Statuses that hold the phone number for this event.
    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)
    #: Statuses that hold seats.
    SEATED_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    # No index of its own: ``registration_queue`` starts with the event.
    event = models.ForeignKey(
        Event,
        verbose_name=_("科普活动"),
        on_delete=models.CASCADE,
        related_name="registrations",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_registrations",
        # Indexed where set only (``registration_user``).
        db_index=False,
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20, validators=[validate_mobile])
    email = models.EmailField(_("电子邮箱"), blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("人数"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    # Unique by a constraint (``registration_code_unique``) rather than
    # ``unique=True``: the same index without PostgreSQL's pattern-ops copy,
    # which no query uses (the code is only ever looked up whole).
    code = models.CharField(
        _("报名码"), max_length=32, default=new_registration_code, editable=False
    )
    attended_count = models.PositiveSmallIntegerField(_("已签到人数"), default=0)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now, editable=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    # What the registrant has been told, so the notice sweep knows what is due.
    promotion_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    event_cancel_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_version = models.PositiveIntegerField(default=1, editable=False)
    # The language of the page the sign-up was made on: its receipt, reminders
    # and other notices are written in it (most registrants have no account).
    language = message_language_field(editable=False)
    # Set when the name and contact details were removed (retention or the
    # person's request); the row stays for the counts.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)

    # Each sign-up writes one history row: its table indexes what is read
    # (a row's versions by ``id``), not the event, user or code.
    history = RowHistoricalRecords(no_db_index=["event", "user"])

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = pgettext_lazy("several", "报名")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue"),
            models.Index(fields=["phone"], name="registration_phone"),
            # The newest sign-ups and cancellations (the workbench) and the
            # admin's list in its order, read from the index's end, not by
            # sorting every row.
            models.Index(fields=["created_at", "id"], name="registration_created"),
            models.Index(
                fields=["cancelled_at", "id"],
                name="registration_cancelled",
                condition=Q(cancelled_at__isnull=False),
            ),
            # A person's sign-ups (their data, their account's removal), read
            # by ``user_id = …`` or ``IN (…)``, which only a row with a user
            # can match: most sign-ups have none (a storm's never do), and
            # they write no entry here.
            models.Index(
                fields=["user"], name="registration_user", condition=Q(user__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="registration_code_unique"),
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=Q(status__in=["confirmed", "waitlisted", "attended", "no_show"]),
                name="registration_one_active_per_phone",
                violation_error_message=_("这个手机号码已经报名了本活动。"),
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1),
                name="registration_party_not_empty",
                violation_error_message=_("人数至少为1。"),
            ),
            models.CheckConstraint(
                condition=Q(attended_count__lte=F("party_size")),
                name="registration_attended_within_party",
                violation_error_message=_("签到人数不能超过报名人数。"),
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.event}"

    def get_absolute_url(self):
        # Kept: a sign-up asks for it three times (its redirect, its receipts).
        return kept_reverse("outreach:registration_manage", self.code)

    @classmethod
    def next_id(cls) -> RawSQL:
        """The id the next sign-up is inserted with, taken from the table's sequence
        (PostgreSQL) in a read that comes before the insert: the sign-up and the rows
        that point at it can then go in one statement. An id taken and not used
        leaves a gap, as a refused insert does."""
        return RawSQL(
            "nextval(pg_get_serial_sequence(%s, %s))", (cls._meta.db_table, cls._meta.pk.column)
        )

    @property
    def phone_last4(self) -> str:
        return self.phone[-4:]

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_live(self) -> bool:
        """Still coming (or came): what a reminder, a calendar entry or a
        cancel button makes sense for."""
        return self.status in (
            self.Status.CONFIRMED,
            self.Status.WAITLISTED,
            self.Status.ATTENDED,
        )

    @property
    def has_seat(self) -> bool:
        """Holds a place at the door: the QR code is for these."""
        return self.status in (self.Status.CONFIRMED, self.Status.ATTENDED)
