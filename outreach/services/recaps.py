"""Recaps of past events: a few words and photos, added once the event ended."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import Event, EventRecap, EventRecapPhoto


def _check_past(event: Event) -> None:
    if not event.is_past and event.status != Event.Status.FINISHED:
        raise ValidationError(_("活动结束后才能添加活动回顾。"), code="not_past")


@transaction.atomic
def recap_save(*, recap: EventRecap, by) -> EventRecap:
    """Create or change the recap ``recap`` carries (the admin's form instance)."""
    _check_past(recap.event)
    recap.updated_by = by
    recap.updated_at = timezone.now()
    recap.full_clean()
    recap.save()
    return recap


@transaction.atomic
def recap_photo_add(*, event: Event, picture, by, order: int | None = None) -> EventRecapPhoto:
    """Add a photo to an event's recap, making the recap when it has none."""
    _check_past(event)
    recap, _created = EventRecap.objects.get_or_create(
        event=event, defaults={"updated_by": by, "updated_at": timezone.now()}
    )
    photo = EventRecapPhoto(
        recap=recap, picture=picture, order=recap.photos.count() if order is None else order
    )
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def recap_photo_save(*, photo: EventRecapPhoto) -> EventRecapPhoto:
    """Save a photo row of a recap (the admin's inline), once its event ended."""
    _check_past(photo.recap.event)
    photo.full_clean()
    photo.save()
    return photo
