"""Demo data of the outreach app: Pinghu-like venues, the campaigns, a year of
events of every kind and audience with sign-ups and reach, and two speaker
teams with lecture requests. Built through the services; safe to run again
(records are looked up by name or title before anything is created)."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from members.models import Branch, Person, Society
from members.reference import ensure_towns
from outreach.demo import pictures
from outreach.demo.data import DATA
from outreach.models import (
    Audience,
    Campaign,
    Event,
    LectureRequest,
    LectureTopic,
    Registration,
    SpeakerTeam,
    Venue,
)
from outreach.services.events import (
    event_add_session,
    event_cancel,
    event_create,
    event_finish,
    event_save,
    reach_record,
)
from outreach.services.registrations import (
    registration_cancel,
    registration_check_in,
    registration_create,
)
from outreach.services.speakers import (
    lecture_request_accept,
    lecture_request_create,
    lecture_request_decline,
    lecture_topic_create,
    speaker_team_create,
)
from outreach.services.venues import campaign_create, venue_create

#: Events over the demo year (about one every two days).
EVENT_COUNT = 168


def seed(*, stdout) -> None:
    rng = random.Random(2026)
    towns = ensure_towns()
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    venues = _venues(towns)
    campaigns = _campaigns()
    created = _events(rng, towns, venues, campaigns, audiences)
    _speaker_teams(rng, towns, audiences, venues)
    drawn = pictures.seed(by=None)
    stdout.write(
        f"  outreach pictures: {drawn['venues']} venues, {drawn['events']} event covers, "
        f"{drawn['posters']} posters, {drawn['recaps']} recaps (new)"
    )
    stdout.write(
        f"  outreach: {Venue.objects.count()} venues, {Event.objects.count()} events "
        f"({created} new), {Registration.objects.count()} sign-ups, "
        f"{LectureRequest.objects.count()} lecture requests"
    )


def _venue(name, **fields) -> Venue:
    return Venue.objects.filter(name=name).first() or venue_create(name=name, **fields)


def _named_venue(towns, row) -> Venue:
    fields = {key: value for key, value in row.items() if key not in ("group", "name", "town")}
    return _venue(row["name"], town=towns[row["town"]], **fields)


def _venues(towns) -> dict[str, list[Venue]]:
    result = {"space": [], "base": [], "estation": [], "other": []}
    named = DATA["venues"]
    for row in named:
        if row["group"] != "base":
            result[row["group"]].append(_named_venue(towns, row))
    town_names = list(towns)
    # 39 science education bases: one provincial, 14 at prefecture level, the rest county level.
    for index, theme in enumerate(DATA["base_themes"][:38]):
        town = towns[town_names[index % len(town_names)]]
        level = Venue.Level.PREFECTURE if index < 14 else Venue.Level.COUNTY
        result["base"].append(
            _venue(
                f"平湖市{theme}科普教育基地",
                kind=Venue.Kind.BASE,
                level=level,
                town=town,
                address=f"平湖市{town.name}",
                opening_hours="周二至周日 9:00–16:00，团体参观请提前预约",
                capacity=60 + (index % 5) * 20,
                description=f"围绕{theme}主题布置展区和体验项目，接待学生和市民参观学习。",
                bookable=index % 3 == 0,
            )
        )
    for row in named:
        if row["group"] == "base":
            result["base"].append(_named_venue(towns, row))
    for name, town in towns.items():
        result["estation"].append(
            _venue(
                f"{name}科普e站",
                kind=Venue.Kind.E_STATION,
                town=town,
                address=f"平湖市{name}党群服务中心",
                opening_hours="工作日 9:00–17:00",
                capacity=50,
                description="镇街道的科普e站：线上发布活动，线下办讲座和展览，连接村社区的科普服务点。",
            )
        )
    return result


def _campaigns() -> dict[str, Campaign]:
    result = {}
    for order, row in enumerate(DATA["campaigns"]):
        name = row["name"]
        result[name] = Campaign.objects.filter(name=name).first() or campaign_create(
            name=name, start_year=row["start_year"], description=row["description"], order=order
        )
    return result


def _organiser(rng, venue, societies, town_branches) -> dict:
    roll = rng.random()
    if roll < 0.35 and town_branches.get(venue.town_id):
        return {"branch": town_branches[venue.town_id]}
    if roll < 0.6 and societies:
        return {"society": rng.choice(societies)}
    return {}


def _pick_venue(rng, hint, venues):
    if hint == "space":
        return venues["space"][0]
    if hint == "any":
        return rng.choice(venues["base"] + venues["estation"] + venues["other"][1:])
    return rng.choice(venues[hint])


def _name(rng) -> str:
    return rng.choice(DATA["surnames"]) + rng.choice(DATA["given_names"])


def _events(rng, towns, venues, campaigns, audiences) -> int:
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    societies = list(Society.objects.order_by("pk")[:12])
    town_branches = {
        branch.town_id: branch
        for branch in Branch.objects.filter(kind=Branch.Kind.TOWN).order_by("pk")
    }
    total, created, phone_block = EVENT_COUNT, 0, 0
    first_day = today - timedelta(days=240)
    for index in range(total):
        plans = DATA["event_plans"]
        plan = plans[index % len(plans)]
        kind, codes, hours, topics = plan["kind"], plan["audiences"], plan["hours"], plan["topics"]
        capacity, ages = plan["capacity"], plan["ages"]
        topic = topics[(index // len(plans)) % len(topics)]
        round_no = index // (len(plans) * len(topics)) + 1
        title = plan["title"].format(topic) + (f"（第{round_no}场）" if round_no > 1 else "")
        phone_block += 1
        if Event.objects.filter(title=title).exists():
            continue
        day = first_day + timedelta(days=index * 360 // total)
        hour = 19 if "officials" in codes else (9 if hours >= 4 else rng.choice([9, 14]))
        starts_at = datetime.combine(day, time(hour, 0), tzinfo=tz)
        ends_at = starts_at + timedelta(hours=hours if kind != Event.Kind.EXHIBITION else 24 * 20)
        venue = _pick_venue(rng, plan["venue"], venues)
        event = event_create(
            by=None,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            audiences=[audiences[code] for code in codes],
            campaign=campaigns[plan["campaign"]],
            venue=venue,
            online_url="https://live.example.cn/tiangong" if kind == Event.Kind.LIVESTREAM else "",
            capacity=capacity,
            max_party_size=plan["max_party_size"],
            min_age=ages[0] if ages else None,
            max_age=ages[1] if ages else None,
            signup_opens_at=starts_at - timedelta(days=14) if capacity else None,
            speakers=f"{_name(rng)}（{rng.choice(DATA['speaker_titles'])}）",
            summary=f"{topic}：{rng.choice(['动手体验', '专家讲解', '现场互动', '问答交流'])}，"
            f"适合{'、'.join(audiences[code].name for code in codes)}。",
            description=(
                f"本场活动围绕“{topic}”展开，由讲师结合实物、实验和案例讲解，留出时间现场答疑。"
                "请提前十分钟到场签到。"
            ),
            status=Event.Status.PUBLISHED,
            **_organiser(rng, venue, societies, town_branches),
        )
        if kind == Event.Kind.STEAM:
            _sessions(event, starts_at, hours)
        created += 1
        _sign_ups(rng, event, phone_block)
        if event.ends_at < now:
            _close(rng, event, audiences, codes)
    _cancel_and_move(now)
    return created


def _sessions(event, starts_at, hours) -> None:
    for week in range(4):
        event_add_session(
            event=event,
            title=f"第{week + 1}课",
            starts_at=starts_at + timedelta(weeks=week),
            ends_at=starts_at + timedelta(weeks=week, hours=hours),
        )


def _sign_ups(rng, event, phone_block) -> None:
    if event.capacity is None:
        return
    wanted = int(event.capacity * rng.uniform(0.5, 1.25))
    people = 0
    for k in range(200):
        if people >= wanted:
            break
        size = rng.randint(1, event.max_party_size)
        registration_create(
            event=event,
            name=_name(rng),
            phone=f"137{phone_block:04d}{k:04d}",
            party_size=size,
            enforce_window=False,
            notify=False,
        )
        people += size


def _close(rng, event, audiences, codes) -> None:
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    for registration in confirmed:
        if rng.random() < 0.82:
            count = registration.party_size - (1 if rng.random() < 0.15 else 0)
            registration_check_in(registration=registration, count=max(count, 1))
    for code in codes:
        online = rng.randint(300, 3000) if event.kind == Event.Kind.LIVESTREAM else 0
        reach_record(
            event=event, audience=audiences[code], walk_in=rng.randint(0, 80), online=online
        )
    event_finish(event=event)


def _cancel_and_move(now) -> None:
    """One upcoming event cancelled, one moved, and a few sign-ups cancelled so
    that the waiting list moves up."""
    upcoming = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=now).order_by(
        "starts_at"
    )
    if not Event.objects.filter(status=Event.Status.CANCELLED).exists():
        victim = upcoming.filter(capacity__isnull=False).order_by("-starts_at").first()
        if victim:
            event_cancel(event=victim, reason="因场地检修，本场活动取消，改期另行通知。")
    moved = upcoming.filter(schedule_version=1, capacity__isnull=False)[3:4].first()
    if moved and not Event.objects.filter(schedule_version__gt=1).exists():
        moved.starts_at += timedelta(days=1)
        moved.ends_at += timedelta(days=1)
        event_save(event=moved)
    if Registration.objects.filter(
        event__in=upcoming, status=Registration.Status.CANCELLED
    ).exists():
        return
    waiting = upcoming.filter(registrations__status=Registration.Status.WAITLISTED).distinct()
    for event in waiting[:3]:
        first = event.registrations.filter(status=Registration.Status.CONFIRMED).first()
        if first:
            registration_cancel(registration=first, by_registrant=False)


def _speaker_teams(rng, towns, audiences, venues) -> None:
    from members import services as member_services

    for order, row in enumerate(DATA["speaker_teams"]):
        team = SpeakerTeam.objects.filter(name=row["name"]).first() or speaker_team_create(
            name=row["name"], description=row["description"], order=order
        )
        people = []
        for member in row["members"]:
            name, title = member["name"], member["title"]
            person = Person.objects.filter(name=name, title=title).first()
            people.append(person or member_services.person_create(name=name, title=title))
        team.members.add(*people)
        for index, topic in enumerate(row["topics"]):
            if not LectureTopic.objects.filter(team=team, title=topic["title"]).exists():
                lecture_topic_create(
                    team=team,
                    title=topic["title"],
                    summary=topic["summary"],
                    speaker=people[index % len(people)],
                    duration_minutes=60 + 30 * (index % 2),
                    audiences=[audiences[code] for code in topic["audiences"]],
                )
    _lecture_requests(rng, towns, audiences, venues)


def _lecture_requests(rng, towns, audiences, venues) -> None:
    if LectureRequest.objects.exists():
        return
    today = timezone.localdate()
    created = []
    for row in DATA["lecture_requests"]:
        topic = LectureTopic.objects.select_related("team").get(title=row["topic"])
        created.append(
            lecture_request_create(
                team=topic.team,
                topic=topic,
                organisation=row["organisation"],
                town=towns[row["town"]],
                contact_name=_name(rng),
                contact_phone=f"1390573{len(created):04d}",
                preferred_date=today + timedelta(days=row["in_days"]),
                audience=audiences[row["audience"]],
                expected_attendance=row["expected_attendance"],
                place=f"{row['organisation']}报告厅",
            )
        )
    tz = timezone.get_current_timezone()
    for request in created[:2]:
        starts_at = datetime.combine(request.preferred_date, time(14, 0), tzinfo=tz)
        lecture_request_accept(
            request=request,
            by=None,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1, minutes=30),
            publish=True,
        )
    lecture_request_decline(
        request=created[4], by=None, reason="讲师本月档期已满，建议改到下个月再申请。"
    )
