"""The 科协帮's views, by audience: ``public`` (the board, profiles, achievements,
workstations), ``needs`` (an enterprise's needs and attachments),
``participation`` (responses, engagements, the expert's dashboard) and
``staff`` (review queue, stuck needs, invitations, follow-up)."""
