"""Views of the outreach app: ``public`` (events, sign-ups, venues, calendar
files), ``speakers`` (lecture requests) and ``staff`` (sign-ups, check-in)."""
