"""The outreach demo's pictures, drawn with Pillow (``pictures.json`` beside
this file says which): photos of the main venues and the first education
bases, a cover per kind of event (two variants each) on every public event,
posters for the next few events, and recaps with photos of the last events
held. Through the services; safe to run again (only what has no picture yet
gets one)."""

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kexie.platform.pictures import drawing
from kexie.platform.pictures.models import Picture
from kexie.platform.pictures.services import picture_create
from outreach.models import Event, EventRecap, Venue
from outreach.services.events import event_save
from outreach.services.recaps import recap_photo_add, recap_save
from outreach.services.venues import venue_pictures_set

DATA = json.loads((Path(__file__).resolve().parent / "pictures.json").read_text(encoding="utf-8"))
WEEKDAYS = "一二三四五六日"


def _upload(data: bytes, *, alt: str, by, caption: str = "") -> Picture:
    return picture_create(
        upload=SimpleUploadedFile("demo.jpg", data, content_type="image/jpeg"),
        alt=alt,
        caption=caption,
        credit="演示插画",
        by=by,
    )


def _drawn(spec: dict, *, by, seed: int, label: str = "") -> Picture:
    text = spec.get("text", "")
    data = drawing.cover(
        title=text, label=label, motif=spec["motif"], palette=spec["palette"], seed=seed
    )
    return _upload(data, alt=drawing.alt_text(spec["motif"], text), by=by, caption=text)


def seed(*, by) -> dict:
    counts = {"venues": _venues(by), "events": _event_covers(by), "posters": _posters(by)}
    counts["recaps"] = _recaps(by)
    return counts


def _base_spec(name: str) -> dict:
    for theme in DATA["base_themes"]:
        if any(word in name for word in theme["words"]):
            return theme
    return DATA["base_default"]


def _venues(by) -> int:
    done = 0
    named = Venue.objects.filter(name__in=DATA["venues"], picture__isnull=True)
    bases = Venue.objects.filter(
        kind=Venue.Kind.BASE, status=Venue.Status.OPEN, picture__isnull=True
    ).exclude(name__in=DATA["venues"])
    chosen = list(named) + list(bases.order_by("pk")[: DATA["bases_with_pictures"]])
    for index, venue in enumerate(chosen):
        spec = DATA["venues"].get(venue.name) or {
            **_base_spec(venue.name),
            "text": venue.name.removeprefix("平湖市"),
        }
        picture = _drawn(spec, by=by, seed=1000 + index, label=venue.get_kind_display())
        photos = [
            _drawn(photo, by=by, seed=1100 + index * 10 + n)
            for n, photo in enumerate(spec.get("photos", []))
        ]
        venue_pictures_set(venue=venue, picture=picture, photos=photos)
        done += 1
    return done


def _event_covers(by) -> int:
    covers: dict[tuple[str, int], Picture] = {}
    done = 0
    events = Event.objects.filter(status__in=Event.PUBLIC_STATUSES, cover__isnull=True)
    for event in events.order_by("pk"):
        variants = DATA["event_kinds"].get(event.kind) or DATA["event_kinds"]["other"]
        key = (event.kind, event.pk % len(variants))
        if key not in covers:
            spec = {**variants[key[1]], "text": event.get_kind_display()}
            covers[key] = _drawn(spec, by=by, seed=2000 + len(covers), label="科普活动")
        event.cover = covers[key]
        event_save(event=event, by=by)
        done += 1
    return done


def _when(event: Event) -> str:
    local = timezone.localtime(event.starts_at)
    return f"{local.month}月{local.day}日（周{WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def _posters(by) -> int:
    done = 0
    coming = (
        Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=timezone.now())
        .select_related("venue")
        .order_by("starts_at", "pk")[: DATA["posters"]]
    )
    for index, event in enumerate(coming):
        if event.poster_id:
            continue
        variants = DATA["event_kinds"].get(event.kind) or DATA["event_kinds"]["other"]
        spec = variants[index % len(variants)]
        place = event.venue.name if event.venue else "线上"
        data = drawing.poster(
            title=event.title,
            lines=(_when(event), place),
            motif=spec["motif"],
            palette=spec["palette"],
            seed=3000 + index,
        )
        event.poster = _upload(
            data,
            alt=f"活动海报：{event.title}，{_when(event)}，{place}",
            by=by,
        )
        event_save(event=event, by=by)
        done += 1
    return done


def _recaps(by) -> int:
    done = 0
    held = Event.objects.filter(status=Event.Status.FINISHED, recap__isnull=True).order_by(
        "-starts_at", "-pk"
    )[: len(DATA["recaps"])]
    for index, (event, spec) in enumerate(zip(held, DATA["recaps"], strict=False)):
        for n, photo in enumerate(spec["photos"]):
            recap_photo_add(
                event=event, picture=_drawn(photo, by=by, seed=4000 + index * 10 + n), by=by
            )
        recap = EventRecap.objects.get(event=event)
        recap.summary = spec["summary"]
        recap_save(recap=recap, by=by)
        done += 1
    return done
