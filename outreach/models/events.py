from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Branch, Society
from outreach.models.venues import Venue


class Audience(models.Model):
    """A key group (重点人群). The rows are fixed by a data migration so that
    codes can be used in filters and reports; names may be edited."""

    class Code(models.TextChoices):
        YOUTH = "youth", _("青少年")
        FARMERS = "farmers", _("农民")
        WORKERS = "workers", _("产业工人")
        SENIORS = "seniors", _("老年人")
        OFFICIALS = "officials", _("公务员")
        PUBLIC = "public", _("社会公众")

    code = models.CharField(_("代码"), max_length=20, choices=Code.choices, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("one", "重点人群")
        verbose_name_plural = _("重点人群")
        ordering = ["order", "pk"]

    def __str__(self):
        # Forms' choices and the admin's filters show the row by its str().
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return self.name_in_language(self.name)

    @classmethod
    def name_in_language(cls, name: str) -> str:
        """A name in the visitor's language: while staff keep a fixed row's
        Chinese name, its translated label; a name staff changed, as written."""
        with translation.override(settings.LANGUAGE_CODE):
            sources = {str(label): label for label in cls.Code.labels}
        label = sources.get(name)
        return str(label) if label is not None else name


class Campaign(models.Model):
    """A named programme (品牌 / 专项行动) that events belong to."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.TextField(_("简介"), blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("开始年份"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("结束年份"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("仍在进行的留空。"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("品牌活动")
        verbose_name_plural = _("品牌活动")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="campaign_years_in_order",
                violation_error_message=_("结束年份不能早于开始年份。"),
            ),
        ]

    def __str__(self):
        return self.name


class Event(models.Model):
    """An outreach event (科普活动). A course of several sessions is one event
    with ``EventSession`` rows, signed up for once; ``starts_at``/``ends_at``
    then span the sessions."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("讲座")
        WEEKEND_CLASS = "weekend_class", _("周末课堂")
        STEAM = "steam", _("STEAM课程")
        CARNIVAL = "carnival", _("科技嘉年华")
        EXHIBITION = "exhibition", _("展览")
        LIVESTREAM = "livestream", _("直播")
        STUDY_TOUR = "study_tour", _("研学")
        CONTEST = "contest", _("竞赛")
        SCIENCE_SHOW = "science_show", _("科学秀")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")
        FINISHED = "finished", _("已结束")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED, Status.FINISHED)

    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("面向人群"), related_name="events", blank=True
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("所属品牌"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    society = models.ForeignKey(
        Society,
        verbose_name=_("主办学会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("主办基层组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("活动地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    online_url = models.URLField(_("线上链接"), blank=True)
    poster = models.ForeignKey(
        "pictures.Picture",
        verbose_name=_("海报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("竖版海报，显示在活动页面。"),
    )
    cover = models.ForeignKey(
        "pictures.Picture",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("横版图片，显示在活动列表和首页；不填则用海报。"),
    )
    speakers = models.CharField(_("主讲人"), max_length=200, blank=True)
    summary = models.CharField(_("一句话介绍"), max_length=200, blank=True)
    description = models.TextField(_("活动介绍"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    min_age = models.PositiveSmallIntegerField(
        _("最小年龄"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("最大年龄"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    capacity = models.PositiveIntegerField(
        _("名额"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空表示无需报名、自由参加。"),
    )
    max_party_size = models.PositiveSmallIntegerField(
        _("每次报名最多人数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("例如家长带孩子参加时一起报名的人数。"),
    )
    signup_opens_at = models.DateTimeField(_("报名开始"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(
        _("报名截止"), null=True, blank=True, help_text=_("留空则在活动开始时截止。")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    signup_needs_code = models.BooleanField(
        _("报名需短信验证"),
        default=False,
        help_text=_(
            "名额紧张的热门活动可开启：报名时须填写发到报名手机号码的短信验证码，防止他人冒用号码或批量抢占名额。"
        ),
    )
    gives_certificate = models.BooleanField(
        _("发放参加证明"),
        default=False,
        help_text=_("签到的参加者可在报名页面查看和下载参加证明（带防伪二维码）。"),
    )
    certificate_hours = models.DecimalField(
        _("志愿/实践时长（小时）"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(99)],
        help_text=_("青少年活动可填写，写在参加证明上，供学校认定实践时长。"),
    )
    # Bumped whenever a published event's time or place changes; registrants
    # whose ``notified_version`` is older are due a notice.
    schedule_version = models.PositiveIntegerField(_("日程版本"), default=1, editable=False)
    checked_in_count = models.PositiveIntegerField(_("签到人数"), default=0, editable=False)
    # The people its seated sign-ups bring (confirmed, attended, no-show: the
    # sum of their party sizes). Kept by the database itself: triggers on
    # ``outreach_registration`` change it with every insert, update and delete
    # of a sign-up, whatever makes it (the sign-up, a cancellation, a
    # promotion, the admin, a bulk update), and a guard on this table keeps
    # any other write from changing it (a stale ``Event.save()`` cannot undo
    # a sign-up). See migration 0015. Read under the event's lock to decide a
    # seat (``outreach.services.registrations``).
    seats_held = models.PositiveIntegerField(_("已占名额"), default=0, editable=False)
    reach_total = models.PositiveIntegerField(_("受众人次"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # The seats held change with every sign-up, not with an edit of the event.
    history = HistoricalRecords(excluded_fields=["seats_held"])

    class Meta:
        verbose_name = pgettext_lazy("one", "科普活动")
        verbose_name_plural = _("科普活动")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start"),
            models.Index(fields=["venue", "starts_at"], name="event_venue_start"),
            # Every event by start (the admin's list, its date hierarchy's first and
            # last day): a page read from the index instead of sorting the table.
            models.Index(fields=["starts_at", "id"], name="event_start"),
            # The public list of coming events (published or cancelled, by start):
            # its page is read in order from the index and counted from it alone.
            models.Index(
                fields=["starts_at", "id"],
                include=["ends_at"],
                condition=Q(status__in=("published", "cancelled")),
                name="event_upcoming_start",
            ),
            # The same list filtered by kind (with text and town, the usual search).
            models.Index(
                fields=["kind", "starts_at"],
                include=["ends_at", "venue"],
                condition=Q(status__in=("published", "cancelled")),
                name="event_upcoming_kind",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(society__isnull=True) | Q(branch__isnull=True),
                name="event_one_organiser",
                violation_error_message=_("主办方只能选一个学会或一个基层组织。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("结束时间不能早于开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="event_age_range_in_order",
                violation_error_message=_("最大年龄不能小于最小年龄。"),
            ),
            models.CheckConstraint(
                condition=Q(certificate_hours__isnull=True) | Q(gives_certificate=True),
                name="event_hours_need_certificate",
                violation_error_message=_("填写时长的活动须发放参加证明。"),
            ),
            models.CheckConstraint(
                condition=Q(signup_opens_at__isnull=True)
                | Q(signup_closes_at__isnull=True)
                | Q(signup_closes_at__gt=F("signup_opens_at")),
                name="event_signup_window_in_order",
                violation_error_message=_("报名截止时间必须晚于报名开始时间。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outreach:event_detail", args=[self.pk])

    @property
    def organiser(self):
        return self.society or self.branch

    @property
    def card_picture(self):
        """The picture of the event's card in lists: its cover, else its poster."""
        return self.cover or self.poster

    @property
    def needs_signup(self) -> bool:
        return self.capacity is not None

    @property
    def signup_deadline(self):
        return self.signup_closes_at or self.starts_at

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def signup_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.needs_signup
            and (self.signup_opens_at is None or self.signup_opens_at <= now)
            and now < self.signup_deadline
        )


class EventSession(models.Model):
    """One meeting of a course of several sessions."""

    event = models.ForeignKey(
        Event, verbose_name=_("科普活动"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("本次主题"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text=_("留空则与活动地点相同。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("one", "课时")
        verbose_name_plural = _("课时")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("结束时间不能早于开始时间。"),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.event} · {self.starts_at:%Y-%m-%d}"


class ReachEntry(models.Model):
    """People reached by an event beyond those checked in at the door, per
    audience group: walk-ins and the online audience, counted by staff."""

    event = models.ForeignKey(
        Event, verbose_name=_("科普活动"), on_delete=models.CASCADE, related_name="reach_entries"
    )
    audience = models.ForeignKey(
        Audience, verbose_name=_("人群"), on_delete=models.PROTECT, related_name="+"
    )
    walk_in = models.PositiveIntegerField(_("现场未报名人数"), default=0)
    online = models.PositiveIntegerField(_("线上观看人数"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("受众统计")
        verbose_name_plural = pgettext_lazy("several", "受众统计")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "audience"], name="reach_one_row_per_audience"
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.audience}"

    @property
    def total(self) -> int:
        return self.walk_in + self.online
