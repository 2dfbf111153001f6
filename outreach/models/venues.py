from urllib.parse import urlencode

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Town


class Venue(models.Model):
    """A place where outreach happens (科普阵地)."""

    class Kind(models.TextChoices):
        BASE = "base", _("科普教育基地")
        E_STATION = "e_station", _("科普e站")
        MUSEUM = "museum", _("科技馆")
        SPACE_MUSEUM = "space_museum", _("航天科普馆")
        SCHOOL = "school", _("学校")
        COMMUNITY = "community", _("社区活动室")
        OTHER = "other", _("其他场所")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        PREFECTURE = "prefecture", _("地市级")
        COUNTY = "county", _("县级")

    class Status(models.TextChoices):
        OPEN = "open", _("开放中")
        UNDER_CONSTRUCTION = "under_construction", _("建设中")
        CLOSED = "closed", _("暂停开放")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    level = models.CharField(
        _("基地级别"),
        max_length=20,
        choices=Level.choices,
        blank=True,
        help_text=_("仅科普教育基地填写。"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    town = models.ForeignKey(
        Town, verbose_name=_("所在镇街道"), on_delete=models.PROTECT, related_name="venues"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # WGS-84, as a phone's GPS gives them (the map links say so to the map app).
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("WGS-84坐标（手机定位的坐标），如 30.697632。"),
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("如 121.015021。"),
    )
    opening_hours = models.TextField(_("开放时间"), blank=True)
    directions = models.TextField(
        _("交通指引"), blank=True, help_text=_("公交线路、停车、从哪个门进等。")
    )
    capacity = models.PositiveIntegerField(_("可容纳人数"), null=True, blank=True)
    accessibility = models.TextField(_("无障碍说明"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    picture = models.ForeignKey(
        "pictures.Picture",
        verbose_name=_("主图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bookable = models.BooleanField(_("可预约场地"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("one", "科普阵地")
        verbose_name_plural = _("科普阵地")
        ordering = ["town__order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="base") | Q(level=""),
                name="venue_level_only_for_bases",
                violation_error_message=_("只有科普教育基地才有基地级别。"),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_together",
                violation_error_message=_("经度和纬度要一起填写。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outreach:venue_detail", args=[self.pk])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def geo_uri(self) -> str:
        """RFC 5870: opens the place in the phone's map app (Android and most
        desktop systems); no script, no map tile from anywhere."""
        if not self.has_coordinates:
            return ""
        return f"geo:{self.latitude},{self.longitude}?q={self.latitude},{self.longitude}"

    @property
    def amap_url(self) -> str:
        """Amap's URI API: opens the Amap app when installed (iPhones have no
        ``geo:``), else its mobile page; the coordinates are declared WGS-84."""
        if not self.has_coordinates:
            return ""
        query = urlencode(
            {
                "position": f"{self.longitude},{self.latitude}",
                "name": self.name,
                "coordinate": "wgs84",
                "callnative": "1",
            }
        )
        return f"https://uri.amap.com/marker?{query}"


class VenuePhoto(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("科普阵地"), on_delete=models.CASCADE, related_name="photos"
    )
    picture = models.ForeignKey(
        "pictures.Picture", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("阵地照片")
        verbose_name_plural = pgettext_lazy("several", "阵地照片")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.picture.alt
