"""Writes of the 科协帮, one module per subdomain:

- ``needs``: creating and editing needs, their status, attachments, keywords;
- ``matching``: recommendation snapshots, invitations, confidentiality;
- ``responses``: experts' responses, the clarification thread, acceptance;
- ``engagements``: service log, resolution, rating;
- ``catalogue``: enterprises, experts, achievements, workstations;
- ``reminders``: the periodic sweeps that notify people.
"""
