"""The floor of the portal: accounts, the outbox, small shared helpers.

Nothing here imports a domain app (members, outreach, experts) or a part of
``kexie.portal``; ``tests/test_layering.py`` keeps it so.
"""
