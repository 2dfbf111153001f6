from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outreach.models.events import Event


class EventRecap(models.Model):
    """What happened at a past event, in words and photos (活动回顾).

    Its own record beside the event, so later additions about past events
    (feedback, certificates) sit next to it rather than in ``Event``; shown
    by ``templates/outreach/_recap.html`` once the event has ended.
    """

    event = models.OneToOneField(
        Event, verbose_name=_("科普活动"), on_delete=models.CASCADE, related_name="recap"
    )
    summary = models.TextField(_("活动回顾"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动回顾")
        verbose_name_plural = pgettext_lazy("several", "活动回顾")

    def __str__(self):
        return str(self.event)


class EventRecapPhoto(models.Model):
    recap = models.ForeignKey(
        EventRecap, verbose_name=_("活动回顾"), on_delete=models.CASCADE, related_name="photos"
    )
    picture = models.ForeignKey(
        "pictures.Picture", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回顾照片")
        verbose_name_plural = pgettext_lazy("several", "回顾照片")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recap", "picture"], name="recap_photo_once"),
        ]

    def __str__(self):
        return self.picture.alt
