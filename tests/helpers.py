"""Small assertion helpers shared by the tests."""

import html
import re

from django.core import mail

from kexie.platform.outbox.sms import LocmemSmsBackend


def sent_emails(to: str | None = None) -> list:
    return [m for m in mail.outbox if to is None or to in m.to]


def sent_sms(to: str | None = None) -> list[tuple[str, str]]:
    return [m for m in LocmemSmsBackend.outbox if to is None or m[0] == to]


def reset_broker_connections() -> None:
    """Drop Celery's pooled broker connections so a changed broker URL is used."""
    from kombu import pools as kombu_pools

    from kexie.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    # Producer pools are cached apart, by Celery and in kombu's global registry.
    app.amqp._producer_pool = None
    kombu_pools.reset()


def load_reference_data() -> None:
    """Put back the rows the data migrations load (disciplines, audiences, columns):
    a transactional test empties every table when it ends."""
    from importlib import import_module

    from django.apps import apps

    import_module("experts.migrations.0002_load_disciplines").load(apps, None)
    import_module("outreach.migrations.0002_audience_key_groups").add_audiences(apps, None)
    import_module("kexie.portal.content.migrations.0002_columns").add_columns(apps, None)


def register_through_the_form(client, *, name: str, contact: str, role: str, follow=False):
    """Open an account as a visitor does: one form, the address kept pending."""
    from django.urls import reverse

    from tests.factories import TEST_PASSWORD

    form = {
        "name": name,
        "phone": "" if "@" in contact else contact,
        "email": contact if "@" in contact else "",
        "role": role,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
    }
    return client.post(reverse("accounts:register"), form, follow=follow)


_CARD_TITLE = re.compile(r'<a class="stretched-link text-decoration-none" href="[^"]*">([^<]*)</a>')


def card_titles(cards) -> list[str]:
    """The event titles of rendered event cards (``outreach.cards``), in order."""
    return [html.unescape(_CARD_TITLE.search(str(card)).group(1)) for card in cards]
