"""The lives of an event, a sign-up and a lecture request: every legal change of
status, one table each (``kexie.platform.lib.workflow.Table``).

The services in ``outreach.services`` are the only writers of these statuses,
each through its table's ``move`` (or ``move_many``), so every change is
checked here and recorded in the record's change history with who and why.
The admin shows the statuses read-only and changes them only through actions
that call those services.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from kexie.platform.lib.workflow import Table, rule
from outreach.models import Event, LectureRequest, Registration


class Actor(StrEnum):
    STAFF = "staff"  # association staff, or an organisation's manager within their scope
    REGISTRANT = "registrant"  # the person who signed up, through their private link
    SYSTEM = "system"  # a consequence of another change (a freed seat, a finished event)


STAFF, REGISTRANT, SYSTEM = Actor.STAFF, Actor.REGISTRANT, Actor.SYSTEM

E = Event.Status
EVENTS = Table(
    noun=_("活动"),
    states=E,
    transitions={
        (E.DRAFT, E.PUBLISHED): rule(STAFF),
        (E.DRAFT, E.CANCELLED): rule(STAFF),
        (E.PUBLISHED, E.CANCELLED): rule(STAFF),
        # Finishing marks the no-shows and adds up the reach (``event_finish``).
        (E.PUBLISHED, E.FINISHED): rule(STAFF, SYSTEM),
    },
    refusals={
        (None, E.PUBLISHED): (_("只有草稿状态的活动可以发布。"), "not_draft"),
        (E.CANCELLED, E.CANCELLED): (_("本活动已经取消。"), "already_cancelled"),
        (E.FINISHED, E.CANCELLED): (_("已结束的活动不能取消。"), "finished"),
        (None, E.FINISHED): (_("只有已发布的活动可以结束。"), "not_published"),
    },
)

R = Registration.Status
REGISTRATIONS = Table(
    noun=_("报名"),
    states=R,
    transitions={
        # A seat came free (a cancellation, more seats).
        (R.WAITLISTED, R.CONFIRMED): rule(SYSTEM),
        (R.CONFIRMED, R.CANCELLED): rule(REGISTRANT, STAFF),
        (R.WAITLISTED, R.CANCELLED): rule(REGISTRANT, STAFF),
        # Checked in at the door, and undone (a count of 0).
        (R.CONFIRMED, R.ATTENDED): rule(STAFF),
        (R.ATTENDED, R.CONFIRMED): rule(STAFF),
        # Staff correct the attendance of a finished event.
        (R.NO_SHOW, R.ATTENDED): rule(STAFF),
        (R.NO_SHOW, R.CONFIRMED): rule(STAFF),
        (R.CONFIRMED, R.NO_SHOW): rule(SYSTEM),
    },
    refusals={
        (R.CANCELLED, R.CANCELLED): (_("该报名已经取消。"), "already_cancelled"),
        (None, R.CANCELLED): (_("已签到或已结束的报名不能取消。"), "not_cancellable"),
        (R.WAITLISTED, R.ATTENDED): (_("该报名仍在候补名单中，不能签到。"), "waitlisted"),
        (R.CANCELLED, R.ATTENDED): (_("该报名已经取消，不能签到。"), "cancelled"),
        (R.CANCELLED, R.CONFIRMED): (_("该报名已经取消，不能签到。"), "cancelled"),
    },
)

L = LectureRequest.Status
LECTURE_REQUESTS = Table(
    noun=_("点单讲座申请"),
    states=L,
    transitions={
        (L.SUBMITTED, L.ACCEPTED): rule(STAFF),
        (L.SUBMITTED, L.DECLINED): rule(STAFF, reason_required=True),
    },
    refusals={
        (None, L.ACCEPTED): (_("该申请已经处理过了。"), "decided"),
        (None, L.DECLINED): (_("该申请已经处理过了。"), "decided"),
    },
)
