"""Event cards (the event list, the home page, a venue's page), each rendered
once per event and language and kept apart from the pages that show it
(``kexie.platform.lib.parts``).

A card shows its event's own fields and audiences, its venue's name and its
picture, so it is stamped with its event's card dependency (bumped by a write
to the event, its audiences or its reach), the dependency shared by every card
(bumped by a write to a venue or an audience) and the pictures' generation.
Its seats left are the page cache's ``seats`` fragment, put in each time the
card is used, so a sign-up renders no card again."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import get_template

from kexie.platform.lib import pagecache, parts
from outreach import selectors
from outreach.models import Audience, Event, ReachEntry, Venue

TEMPLATE = "outreach/_event_card.html"
#: Bumped by a write to what every card may show of other records.
SHARED = "outreach.cards"


def card_dependency(event_id: int) -> str:
    return f"outreach.card:{event_id}"


def event_cards(ids: list[int], *, past: bool = False) -> list[str]:
    """The cards of these events (public ones only), in the order of ``ids``."""
    found = parts.cached_parts(
        "event_card_past" if past else "event_card",
        ids,
        stamp=lambda pk: (card_dependency(pk), SHARED, parts.generation("pictures")),
        render=lambda pks: _render(pks, past=past),
    )
    return [found[pk] for pk in ids if pk in found]


def _render(pks: list[int], *, past: bool) -> dict[int, str]:
    template = get_template(TEMPLATE)
    return {
        event.pk: template.render({"event": event, "past": past})
        for event in selectors.events_for_cards(pks)
    }


def _bump(*names: str) -> None:
    pagecache.bump_dependencies_on_commit(*names)


def _event_written(sender, instance, **kwargs) -> None:
    _bump(card_dependency(instance.pk))


def _reach_written(sender, instance, **kwargs) -> None:
    _bump(card_dependency(instance.event_id))


def _shared_written(sender, instance=None, **kwargs) -> None:
    _bump(SHARED)


def _audiences_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        _bump(card_dependency(instance.pk))
    elif pk_set:
        _bump(*(card_dependency(pk) for pk in pk_set))
    else:  # an audience's events cleared: whichever they were
        _bump(SHARED)


def connect_signals() -> None:
    """Called once, from ``kexie.invalidation.connect``."""
    for model, receiver in (
        (Event, _event_written),
        (ReachEntry, _reach_written),
        (Venue, _shared_written),
        (Audience, _shared_written),
    ):
        uid = f"cards:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _audiences_changed, sender=Event.audiences.through, dispatch_uid="cards:audiences"
    )
