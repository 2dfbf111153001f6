"""Venues and campaigns: plain records, validated before they are saved."""

from django.db import transaction

from members.models import Town
from outreach.models import Campaign, Venue, VenuePhoto


@transaction.atomic
def venue_create(*, name: str, kind: str, town: Town, **details) -> Venue:
    """Create a venue. ``details`` are further model fields (level, address, …)."""
    venue = Venue(name=name, kind=kind, town=town, **details)
    venue.full_clean()
    venue.save()
    return venue


@transaction.atomic
def campaign_create(*, name: str, start_year: int, **details) -> Campaign:
    campaign = Campaign(name=name, start_year=start_year, **details)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def venue_pictures_set(*, venue: Venue, picture, photos=()) -> Venue:
    """Give a venue its main picture and, after its existing photos, more photos."""
    venue.picture = picture
    venue.full_clean()
    venue.save()
    order = venue.photos.count()
    for offset, photo in enumerate(photos):
        row = VenuePhoto(venue=venue, picture=photo, order=order + offset)
        row.full_clean()
        row.save()
    return venue
