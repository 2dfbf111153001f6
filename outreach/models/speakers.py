from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kexie.platform.lib.validators import validate_mobile
from kexie.platform.outbox.fields import message_language_field
from members.models import Branch, Person, Society, Town
from outreach.models.events import Audience, Event
from outreach.models.registrations import new_registration_code as new_private_code


class SpeakerTeam(models.Model):
    """A pool of lecturers (科普讲师团) that schools and communities can book."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("简介"), blank=True)
    society = models.ForeignKey(
        Society,
        verbose_name=_("所属学会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speaker_teams",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("所属基层组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speaker_teams",
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("讲师"), related_name="speaker_teams", blank=True
    )
    accepts_requests = models.BooleanField(_("接受点单"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("科普讲师团")
        verbose_name_plural = pgettext_lazy("several", "科普讲师团")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(society__isnull=True) | Q(branch__isnull=True),
                name="speakerteam_one_owner",
                violation_error_message=_("只能选一个学会或一个基层组织。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outreach:speaker_team_detail", args=[self.pk])


class LectureTopic(models.Model):
    team = models.ForeignKey(
        SpeakerTeam, verbose_name=_("讲师团"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("题目"), max_length=120)
    summary = models.TextField(_("内容简介"), blank=True)
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("主讲人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lecture_topics",
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("适合人群"), related_name="+", blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("时长（分钟）"), default=60, validators=[MinValueValidator(10)]
    )
    active = models.BooleanField(_("可点单"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("讲座题目")
        verbose_name_plural = pgettext_lazy("several", "讲座题目")
        ordering = ["team", "title"]

    def __str__(self):
        return self.title


class LectureRequest(models.Model):
    """A school or community asking a speaker team for a lecture (点单式科普).
    Accepting it creates the event."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        DECLINED = "declined", _("未能安排")

    team = models.ForeignKey(
        SpeakerTeam, verbose_name=_("讲师团"), on_delete=models.PROTECT, related_name="requests"
    )
    topic = models.ForeignKey(
        LectureTopic,
        verbose_name=_("讲座题目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    topic_text = models.CharField(
        _("其他题目"), max_length=120, blank=True, help_text=_("题目不在列表中时填写。")
    )
    organisation = models.CharField(_("申请单位"), max_length=100)
    town = models.ForeignKey(
        Town, verbose_name=_("所在镇街道"), on_delete=models.PROTECT, related_name="+"
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20, validators=[validate_mobile])
    preferred_date = models.DateField(_("希望日期"))
    audience = models.ForeignKey(
        Audience, verbose_name=_("听众人群"), on_delete=models.PROTECT, related_name="+"
    )
    expected_attendance = models.PositiveIntegerField(
        _("预计人数"), validators=[MinValueValidator(1)]
    )
    place = models.CharField(_("讲座地点"), max_length=200, blank=True)
    note = models.TextField(_("补充说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decline_reason = models.CharField(_("未能安排的原因"), max_length=200, blank=True)
    event = models.OneToOneField(
        Event,
        verbose_name=_("生成的活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lecture_request",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    # The key of the requester's private status page (sent in the receipt).
    code = models.CharField(
        _("查询码"), max_length=32, unique=True, default=new_private_code, editable=False
    )
    # The language of the page the request was made on: the text messages
    # about it are written in it (requesters have no account).
    language = message_language_field(editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("点单讲座申请")
        verbose_name_plural = pgettext_lazy("several", "点单讲座申请")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(event__isnull=False),
                name="lecturerequest_accepted_has_event",
                violation_error_message=_("已受理的申请必须关联活动。"),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.topic or self.topic_text}"

    def get_absolute_url(self):
        return reverse("outreach:lecture_request_status", args=[self.code])

    @property
    def topic_title(self) -> str:
        return self.topic.title if self.topic else self.topic_text
