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
from collections import OrderedDict
from collections.abc import Callable

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from kexie.platform.lib import pagecache, parts
from kexie.platform.lib.site import site_name
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


#: Chips and filter forms kept per process (a few kilobytes each).
FILTERS_KEPT = 128
_filters: OrderedDict[tuple, tuple] = OrderedDict()


def list_filters(
    past: bool, *, query: str = "", render: Callable[[], dict], stamp: tuple | None
) -> dict[str, str]:
    """The event list's chips (``top``) and filter form (``side``) for the
    filters of ``query`` (the list's query string but its page, only declared
    parameters: what they show depends on nothing else), kept in the process
    under ``stamp``, the generations of the domains whose records they offer
    (``upcoming.stamp()``, read before: never older than it; None inside a
    transaction or with the cache down: rendered, not kept); ``render()``
    gives their context when they must be rendered."""
    key = (past, query, translation.get_language() or "")
    found = _filters.get(key)
    if found is not None and stamp is not None and found[0] == stamp:
        _filters.move_to_end(key)
        return found[1]
    context = render()
    html = {
        name: mark_safe(  # noqa: S308 (rendered by a template)
            get_template(f"outreach/_event_list_{name}.html").render(context)
        )
        for name in ("top", "side")
    }
    if stamp is not None:
        _filters[key] = (stamp, html)
        _filters.move_to_end(key)
        while len(_filters) > FILTERS_KEPT:
            _filters.popitem(last=False)
    return html


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
    return event_columns(event, load=load, signup=False)[0]


def event_columns(
    event: Event, *, load: Callable[[], Event] | None = None, signup: bool = True
) -> tuple[str, str | None]:
    """An event page's main column (``event_main``) and, with ``signup``, its
    sign-up box as a visitor without an account first sees it, with
    ``CSRF_PLACEHOLDER`` for the token, read in one round trip. The box is
    kept under the event's card and sign-up dependencies, what the clock
    changes (sign-up open, the event past, sign-up not yet open) being part
    of its key."""
    load = load or loader(event.pk)
    main_key = ("main", event.pk, event.is_past)
    keys = [main_key]
    if signup:
        keys.append(_signup_key(event))
    stamps = {"main": _main_stamp(event.pk), "signup": _signup_stamp(event.pk)}
    renders = {
        "main": lambda: _render_main(load()),
        "signup": lambda: _render_signup(load()),
    }
    found = parts.cached_parts(
        "event_page",
        keys,
        stamp=lambda key: stamps[key[0]],
        render=lambda missing: {key: renders[key[0]]() for key in missing},
    )
    return found[main_key], (found[keys[1]] if signup else None)


def _render_main(event: Event) -> str:
    recap = selectors.event_recap(event=event) if event.is_past else None
    return get_template("outreach/_event_main.html").render(
        {"event": event, "recap": recap, "SITE_NAME": site_name()}
    )


def _signup_key(event: Event) -> tuple:
    now = timezone.now()
    return (
        "signup",
        event.pk,
        event.signup_is_open(now),
        event.is_past,
        bool(event.signup_opens_at and event.signup_opens_at > now),
    )


def _signup_stamp(pk: int) -> tuple[str, ...]:
    return (card_dependency(pk), selectors.event_dependency(pk))


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
