"""Event cards (the event list, the home page) and the two columns of an
event's page, each rendered once per event and language and kept apart from
the pages that show it (``kexie.platform.lib.parts``).

A card shows its event's own fields and audiences, its venue's name and its
picture, so it is stamped with its event's card dependency (bumped by a write
to the event, its audiences or its reach), the dependency shared by every card
(bumped by a write to a venue or an audience) and the pictures' generation.
Its seats left are the page cache's ``seats`` fragment, put in each time the
card is used, so a sign-up renders no card again. The event page's main column
is stamped as the card, its sessions, reach and recap bumping the card's
dependency too; its sign-up box also with the event's sign-up dependency."""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import get_template
from django.utils import timezone

from kexie.platform.lib import pagecache, parts
from outreach import selectors
from outreach.forms import SignUpForm
from outreach.models import (
    Audience,
    Campaign,
    Event,
    EventRecap,
    EventRecapPhoto,
    EventSession,
    ReachEntry,
    Venue,
)
from outreach.services.registrations import party_limit

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
        # A card's seats left (when it shows them), read with the cards.
        fragments=None if past else lambda pk: [("seats", pk)],
    )
    return [found[pk] for pk in ids if pk in found]


def _render(pks: list[int], *, past: bool) -> dict[int, str]:
    template = get_template(TEMPLATE)
    return {
        event.pk: template.render({"event": event, "past": past})
        for event in selectors.events_for_cards(pks)
    }


def list_filters(past: bool, *, query: str = "", render: Callable[[], dict]) -> dict[str, str]:
    """The event list's chips (``top``) and filter form (``side``) for the
    filters of ``query`` (the list's query string but its page, only declared
    parameters: what they show depends on nothing else), kept under the
    generations of the domains whose records they offer; ``render()`` gives
    their context when they must be rendered."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:32] if query else ""
    keys = [("top", past, digest), ("side", past, digest)]

    def _render(missing: list) -> dict:
        context = render()
        return {
            key: get_template(f"outreach/_event_list_{key[0]}.html").render(context)
            for key in missing
        }

    found = parts.cached_parts(
        "event_list_filters",
        keys,
        stamp=lambda _key: (parts.generation("outreach"), parts.generation("members")),
        render=_render,
    )
    return {"top": found[keys[0]], "side": found[keys[1]]}


#: Stands for the visitor's CSRF token in a kept sign-up form.
CSRF_PLACEHOLDER = "\x00kexie-part-csrf\x00"


def _main_stamp(pk: int) -> tuple[str, ...]:
    return (
        card_dependency(pk),
        SHARED,
        parts.generation("members"),  # the organiser's name
        parts.generation("pictures"),
    )


def loader(pk: int) -> Callable[[], Event]:
    """The event with all its page shows, loaded once however many parts miss."""
    return functools.cache(lambda: selectors.event_detail(pk=pk))


def event_main(event: Event, *, load: Callable[[], Event] | None = None) -> str:
    """An event page's main column (all but the sign-up box), kept under what
    its card is, whether the event is past being part of the key."""
    key = (event.pk, event.is_past)
    load = load or loader(event.pk)
    return parts.cached_parts(
        "event_main",
        [key],
        stamp=lambda _key: _main_stamp(event.pk),
        render=lambda _keys: {key: _render_main(load())},
    )[key]


def _render_main(event: Event) -> str:
    recap = selectors.event_recap(event=event) if event.is_past else None
    return get_template("outreach/_event_main.html").render(
        {"event": event, "recap": recap, "SITE_NAME": settings.SITE_NAME}
    )


def event_signup(event: Event, *, load: Callable[[], Event] | None = None) -> str:
    """An event page's sign-up box as a visitor without an account first sees
    it, with ``CSRF_PLACEHOLDER`` for the token: kept under the event's card
    and sign-up dependencies, what the clock changes (sign-up open, the event
    past, sign-up not yet open) being part of the key."""
    now = timezone.now()
    key = (
        event.pk,
        event.signup_is_open(now),
        event.is_past,
        bool(event.signup_opens_at and event.signup_opens_at > now),
    )
    load = load or loader(event.pk)
    return parts.cached_parts(
        "event_signup",
        [key],
        stamp=lambda _key: (card_dependency(event.pk), selectors.event_dependency(event.pk)),
        render=lambda _keys: {key: _render_signup(load())},
    )[key]


def _render_signup(event: Event) -> str:
    return get_template("outreach/_event_signup.html").render(
        {
            "event": event,
            "form": SignUpForm(initial={"party_size": 1}, event=event),
            "seats_left": selectors.seats_left(event),
            "party_limit": party_limit(event),
            "signup_open": event.signup_is_open(),
            "now": timezone.now(),
            "csrf_token": CSRF_PLACEHOLDER,
        }
    )


def _bump(*names: str) -> None:
    pagecache.bump_dependencies_on_commit(*names)


def _event_written(sender, instance, **kwargs) -> None:
    _bump(card_dependency(instance.pk))


def _part_written(sender, instance, **kwargs) -> None:
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
        (ReachEntry, _part_written),
        (EventSession, _part_written),
        (EventRecap, _part_written),
        (EventRecapPhoto, _shared_written),
        (Venue, _shared_written),
        (Audience, _shared_written),
        (Campaign, _shared_written),
    ):
        uid = f"cards:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        _audiences_changed, sender=Event.audiences.through, dispatch_uid="cards:audiences"
    )
