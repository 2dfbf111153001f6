"""The staff's daily digest: one message a working day listing everything
overdue, grouped by kind, each with its link.

Its dedupe key names the day and the recipient, so a second sweep the same
day, or two sweeps at once, write nothing new: each member of staff gets one
digest a day at most.
"""

from datetime import datetime

from django.utils import timezone

from kexie.platform.accounts.models import User
from kexie.platform.digests.registry import staff_sections
from kexie.platform.outbox.services import notify_user
from kexie.platform.workdays.calendar import is_workday


def staff_digest_send(*, now: datetime | None = None) -> int:
    """Send today's digest to every active member of staff; returns how many
    were written (0 on a day off, or when nothing is overdue)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_workday(today):
        return 0
    sections = staff_sections(now)
    if not sections:
        return 0
    context = {
        "sections": sections,
        "count": sum(len(section.items) for section in sections),
        "day": today,
    }
    staff = User.objects.filter(is_active=True, is_staff=True, role=User.Role.STAFF).order_by("pk")
    written = 0
    for user in staff:
        notification = notify_user(
            user,
            template="staff-daily-digest",
            context=context,
            dedupe_key=f"digest:staff:{today:%Y-%m-%d}:user:{user.pk}",
        )
        written += notification is not None
    return written
