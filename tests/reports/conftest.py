"""A small data set whose figures are worked out by hand in the tests.

The year is 2025 in Pinghu time; "now" is 15 January 2026, noon.
The manager of the shared cast manages 当湖街道科协 (B1), which has a village
branch under it (B1c); B2 and the society S1 are outside their scope.

Events held in 2025 (finished), with their reach:
  E1  10 Mar  B1   at V1 (town T1)  campaign C1  youth           100  (a course of 2 sessions)
  E2  20 Mar  B1c  at V2 (town T2)               youth, seniors   50
  E3   1 Jul  S1   online            campaign C1  seniors          30
  E4   5 Jul  B2   at V2 (T2)                                     20
  E7  31 Dec 23:30 local, B2 at V1 (T1)                            5
Not counted: E5 (cancelled, Aug 2025), E6 (finished in 2024, reach 999),
E8 (published, not finished, Sep 2025).
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from experts.models import Engagement, NeedTransition, Rating, Response, TechNeed
from kexie.portal.reports.params import Period
from kexie.portal.reports.selectors import ReportContext
from members.access import EVERYTHING, org_scope_for_user
from members.models import Branch, ContestProject, Honor, Position
from outreach.models import Audience, Event, Registration, Venue
from tests.experts.factories import EnterpriseFactory, ExpertFactory, NeedFactory
from tests.factories import BranchFactory, PersonFactory, SocietyFactory, TownFactory
from tests.outreach.factories import (
    CampaignFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    VenueFactory,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=TZ)


def at(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def held(when, audiences=(), **fields):
    event = EventFactory(
        status=Event.Status.FINISHED,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        **fields,
    )
    # The factory gives every event the youth group; these name their own.
    event.audiences.set(audiences)
    return event


def context(scope=EVERYTHING, first=2025, last=2025) -> ReportContext:
    return ReportContext(period=Period(first, last), scope=scope, now=NOW)


@pytest.fixture
def staff_ctx(report_data):
    return context()


@pytest.fixture
def manager_ctx(report_data, manager_user):
    return context(org_scope_for_user(manager_user))


def _needs(t1, t2):
    s = TechNeed.Status
    ent_a = EnterpriseFactory(town=t1)
    ent_b = EnterpriseFactory(town=t2)
    x1, x2 = ExpertFactory(), ExpertFactory()

    def need(enterprise, status, published, steps):
        n = NeedFactory(enterprise=enterprise, status=status, published_at=published)
        for to_status, when in steps:
            NeedTransition.objects.create(need=n, to_status=to_status, at=when)
        return n

    def respond(n, expert, when):
        return Response.objects.create(
            need=n, expert=expert, approach="方案", duration="3个月", created_at=when
        )

    n1 = need(
        ent_a,
        s.RESOLVED,
        at(2025, 2, 2),
        [
            (s.SUBMITTED, at(2025, 2, 1)),
            (s.PUBLISHED, at(2025, 2, 2)),
            (s.MATCHED, at(2025, 2, 5)),
            (s.RESOLVED, at(2025, 5, 1)),
        ],
    )
    n2 = need(
        ent_b,
        s.MATCHED,
        at(2025, 3, 3),
        [(s.SUBMITTED, at(2025, 3, 1)), (s.PUBLISHED, at(2025, 3, 3)), (s.MATCHED, at(2025, 3, 7))],
    )
    n3 = need(
        ent_b,
        s.PUBLISHED,
        at(2025, 4, 1),
        [(s.SUBMITTED, at(2025, 4, 1)), (s.PUBLISHED, at(2025, 4, 1))],
    )
    need(
        ent_a,
        s.PUBLISHED,
        at(2025, 1, 2),
        [(s.SUBMITTED, at(2024, 12, 30)), (s.PUBLISHED, at(2025, 1, 2))],
    )
    r1 = respond(n1, x1, at(2025, 2, 4))  # 2 days after publication
    respond(n1, x2, at(2025, 2, 6))
    r3 = respond(n2, x1, at(2025, 3, 7))  # 4 days
    respond(n3, x2, at(2025, 4, 11))  # 10 days
    for n, response, overall in ((n1, r1, 5), (n2, r3, 4)):
        engagement = Engagement.objects.create(need=n, response=response, expert=response.expert)
        Rating.objects.create(
            engagement=engagement,
            overall=overall,
            timeliness=overall,
            expertise=overall,
            outcome=overall,
            rated_at=at(2025, 6, 1),
        )


@pytest.fixture
def report_data(db, manager_branch):
    # Towns outside the factory's list, so get_or_create never hands back another's.
    t1 = TownFactory(name="独山港镇", order=1)
    t2 = TownFactory(name="广陈镇", order=2)
    b1 = manager_branch
    b1.town = t1
    b1.save()
    b1c = BranchFactory(name="东湖村科协", kind=Branch.Kind.VILLAGE, town=t1, parent=b1)
    b2 = BranchFactory(name="广陈镇科协", kind=Branch.Kind.TOWN, town=t2)
    s1 = SocietyFactory(name="平湖市机械工程学会")

    youth = Audience.objects.get(code=Audience.Code.YOUTH)
    seniors = Audience.objects.get(code=Audience.Code.SENIORS)
    c1 = CampaignFactory(name="科普大篷车")

    v1 = VenueFactory(name="平湖科技馆基地", kind=Venue.Kind.BASE, level="prefecture", town=t1)
    v2 = VenueFactory(name="广陈科普e站", kind=Venue.Kind.E_STATION, town=t2)
    VenueFactory(name="九龙山基地", kind=Venue.Kind.BASE, level="provincial", town=t1)
    VenueFactory(name="旧展厅", kind=Venue.Kind.MUSEUM, town=t1, status=Venue.Status.CLOSED)

    e1 = held(at(2025, 3, 10), branch=b1, venue=v1, campaign=c1, reach_total=100, audiences=[youth])
    SessionFactory(event=e1, starts_at=at(2025, 3, 10), ends_at=at(2025, 3, 10, 11))
    SessionFactory(event=e1, starts_at=at(2025, 3, 10, 14), ends_at=at(2025, 3, 10, 15))
    held(at(2025, 3, 20), branch=b1c, venue=v2, reach_total=50, audiences=[youth, seniors])
    held(at(2025, 7, 1), society=s1, venue=None, campaign=c1, reach_total=30, audiences=[seniors])
    e4 = held(at(2025, 7, 5), branch=b2, venue=v2, reach_total=20)
    held(at(2025, 12, 31, 23, 30), branch=b2, venue=v1, reach_total=5)
    e5 = EventFactory(
        status=Event.Status.CANCELLED,
        branch=b1,
        venue=v1,
        starts_at=at(2025, 8, 1),
        ends_at=at(2025, 8, 1, 12),
    )
    held(at(2024, 5, 1), branch=b1, venue=v1, reach_total=999)
    EventFactory(branch=b1, venue=v1, starts_at=at(2025, 9, 1), ends_at=at(2025, 9, 1, 12))

    status = Registration.Status
    RegistrationFactory(event=e1, party_size=2, attended_count=2, status=status.ATTENDED)
    RegistrationFactory(event=e1, party_size=1, attended_count=1, status=status.ATTENDED)
    RegistrationFactory(event=e1, party_size=1, status=status.NO_SHOW)
    RegistrationFactory(event=e1, party_size=1, status=status.CANCELLED)
    RegistrationFactory(event=e4, party_size=3, status=status.NO_SHOW)
    RegistrationFactory(event=e4, party_size=1, status=status.WAITLISTED)
    RegistrationFactory(event=e5, party_size=2, status=status.CANCELLED)

    start = datetime.date(2024, 1, 1)
    for role in Position.THREE_HEADS:
        Position.objects.create(person=PersonFactory(), branch=b1, role=role, start=start)
    Position.objects.create(
        person=PersonFactory(), branch=b2, role=Position.Role.SCHOOL_HEAD, start=start
    )

    Honor.objects.create(
        name="全国科普工作先进个人", level="national", year=2025, person=PersonFactory(branch=b1c)
    )
    Honor.objects.create(name="省级优秀学会", level="provincial", year=2025, society=s1)
    Honor.objects.create(name="省级先进基层组织", level="provincial", year=2025, branch=b2)
    Honor.objects.create(name="县级先进集体", level="county", year=2025, branch=b1)
    Honor.objects.create(name="市级先进集体", level="prefecture", year=2024, branch=b1)

    ContestProject.objects.create(
        year=2025, society=s1, title="数字车间", domain="digital", goal="目标"
    )
    shared = ContestProject.objects.create(
        year=2025, society=s1, title="智慧农机", domain="digital", goal="目标"
    )
    shared.branches.set([b1, b1c])
    safety = ContestProject.objects.create(
        year=2025, society=s1, title="安全生产宣讲", domain="safety", goal="目标"
    )
    safety.branches.set([b2])

    _needs(t1, t2)
    return SimpleNamespace(b1=b1, b1c=b1c, b2=b2, s1=s1, v1=v1, v2=v2, t1=t1, t2=t2)
