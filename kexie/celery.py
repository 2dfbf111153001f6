"""The Celery application and every periodic schedule of the portal.

Schedules are declared here and nowhere else, so one file answers "what runs
when". Apps add their sweeps to ``BEAT_SCHEDULE``.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")

app = Celery("kexie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "kexie.platform.outbox.tasks.outbox_sweep",
        # outbox.services.SWEEP_PERIOD_SECONDS: queued deliveries expire after it.
        "schedule": 60.0,
    },
    "outbox-purge": {
        "task": "kexie.platform.outbox.tasks.outbox_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    "verification-purge": {
        "task": "kexie.platform.verification.tasks.verification_purge",
        "schedule": crontab(hour=3, minute=40),
    },
    # Reminders, waiting-list promotions, event cancellations and moves that are due.
    "outreach-notice-sweep": {
        "task": "outreach.tasks.notice_sweep",
        "schedule": 300.0,
    },
    # The feedback survey to attendees of events that ended a while ago.
    "outreach-feedback-sweep": {
        "task": "outreach.tasks.feedback_sweep",
        "schedule": 900.0,
    },
    # Scheduled articles whose time has come: recorded as published, indexed.
    "content-publish-due": {
        "task": "kexie.portal.content.tasks.publish_due",
        "schedule": 60.0,
    },
    # Personal data past its retention period is anonymised (counts stay).
    "privacy-retention": {
        "task": "kexie.platform.privacy.tasks.retention",
        "schedule": crontab(hour=3, minute=50),
    },
    # Staff: one digest of everything overdue, every morning (the task sends
    # nothing on days off of China's calendar, so it runs on weekends too: a
    # Saturday may be a worked day).
    "staff-daily-digest": {
        "task": "kexie.platform.digests.tasks.staff_digest",
        "schedule": crontab(hour=8, minute=30),
    },
    # 科协帮: invitation and rating reminders, the Monday digest to experts,
    # and the nightly ranking snapshot.
    "experts-invitation-reminder": {
        "task": "experts.tasks.invitation_reminder",
        "schedule": crontab(hour=9, minute=10, day_of_week="mon-fri"),
    },
    "experts-rating-reminder": {
        "task": "experts.tasks.rating_reminder",
        "schedule": crontab(hour=10, minute=0),
    },
    "experts-weekly-digest": {
        "task": "experts.tasks.weekly_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
    },
    "experts-recommendations-refresh": {
        "task": "experts.tasks.recommendations_refresh",
        "schedule": crontab(hour=2, minute=15),
    },
    "experts-recommendation-events": {
        "task": "experts.tasks.recommendation_events_record",
        "schedule": crontab(hour=2, minute=45),
    },
}

app.conf.beat_schedule = BEAT_SCHEDULE
