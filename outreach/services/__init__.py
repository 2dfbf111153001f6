"""Writes of the outreach app, split by subdomain: ``events``, ``registrations``,
``notices`` and ``speakers``."""
