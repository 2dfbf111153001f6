"""The profile as every page shows it, kept in each process.

Every page's footer shows the association's address, telephone and filing
numbers, and the footer is part of pages that must cost a fixed number of
queries (the search page's empty query costs none). So the profile and its
departments are read once and kept in the process under the page-cache
generation of the ``about`` domain, which every committed write to them
bumps (``pagecache``: the generation is part of every cached page's key, so a
cached page is rendered afresh as well). The generation is taken from the
page cache's own reading for the request when it made one
(``pagecache.request_generations``), so a page costs no other round trip. A
write in this process forgets the kept copy at once, before it commits, so
the writer's next page shows it; the footer's HTML is kept beside it, per
language. Redis down: the profile is read for each page.
"""

import dataclasses
import logging

from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from kexie.platform.lib import pagecache
from kexie.platform.lib.site import site_name
from kexie.portal.about.models import PROFILE_ID, Department, Profile

log = logging.getLogger(__name__)

DOMAINS = ("about",)
FOOTER = "includes/_site_footer.html"


@dataclasses.dataclass(frozen=True)
class Shown:
    """The profile (None before staff fill it in) and its departments in order."""

    profile: Profile | None
    departments: tuple[Department, ...] = ()
    #: language → the footer's HTML, rendered when first asked for.
    footers: dict = dataclasses.field(default_factory=dict, compare=False)


#: (the generations it was read under, what was read); None: read again.
_kept: tuple[tuple | None, Shown] | None = None


def _read() -> Shown:
    # profile, its departments
    profile = Profile.objects.filter(pk=PROFILE_ID).prefetch_related("departments").first()
    if profile is None:
        return Shown(profile=None)
    return Shown(profile=profile, departments=tuple(profile.departments.all()))


def shown() -> Shown:
    """The profile as it is now: no query while the kept copy is current."""
    global _kept
    try:
        stamp = pagecache.request_generations(DOMAINS)
    except Exception:
        log.warning("about: cache unavailable, profile read", exc_info=True)
        return _read()
    kept = _kept
    if kept is not None:
        if kept[0] == stamp:
            return kept[1]
        if kept[0] is None:
            # Known without reading (``assume_none``): adopt the generation.
            _kept = (stamp, kept[1])
            return kept[1]
    value = _read()
    _kept = (stamp, value)
    return value


def footer() -> SafeString:
    """The site's footer in the active language, as every page shows it."""
    try:
        found = shown()
    except DatabaseError:
        # The database is down: the rest of the page says so; the footer
        # shows what needs no record.
        log.warning("about: profile unavailable for the footer", exc_info=True)
        return mark_safe(_render(Shown(profile=None)))  # noqa: S308 (a template's)
    language = translation.get_language() or ""
    html = found.footers.get(language)
    if html is None:
        html = found.footers[language] = _render(found)
    return mark_safe(html)  # noqa: S308 (rendered by a template)


def _render(found: Shown) -> str:
    from kexie.portal.about.selectors import contact

    return render_to_string(FOOTER, {"contact": contact(found.profile), "SITE_NAME": site_name()})


def forget(**kwargs) -> None:
    """A write to the profile or a department: read it again next time."""
    global _kept
    _kept = None


def _forget_on_commit(**kwargs) -> None:
    forget()
    # Again once committed: a page rendered inside the writing transaction
    # kept what that transaction saw, and it may still roll back.
    transaction.on_commit(forget)


def assume_none() -> None:
    """For the test suite, whose every test starts with a fresh cache and no
    profile: known to be absent, so a page costs no query for the footer
    until a test writes one (which forgets this)."""
    global _kept
    _kept = (None, Shown(profile=None))


def connect_signals() -> None:
    """Called once, from ``kexie.invalidation.connect``."""
    for model in (Profile, Department):
        uid = f"about.kept:{model._meta.label}"
        post_save.connect(_forget_on_commit, sender=model, dispatch_uid=uid)
        post_delete.connect(_forget_on_commit, sender=model, dispatch_uid=uid)


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    """A test changed a setting (the site's name, the URLs): render the footer again."""
    kept = _kept
    if kept is not None:
        kept[1].footers.clear()
