"""Benchmark of the staff reports dashboard on a large year.

Fills a separate PostgreSQL database with 10,000 finished events of one year
and 200,000 registrations (bulk_create; skipped when already filled), plus
venues, branches with their three heads, honours, contest projects, needs with
their history, responses and ratings. Then renders the dashboard in process,
as a logged-in staff member and as a branch manager, several times each, and
prints p50 / min / max of the render time and the number of queries.

    .venv/bin/python bench/reports_dashboard.py
    .venv/bin/python bench/reports_dashboard.py --runs 15 \
        --db postgres://postgres@127.0.0.1:5432/kexie_bench_reports

Results are printed as a Markdown table and written to bench/results/.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import outreach_pages  # the shared create_database; run from bench/, which is on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
YEAR = 2025


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench_reports")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=15)
    return parser.parse_args()


def configure(db_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "reports_bench_settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "0",
        }
    )
    sys.path[:0] = [str(BENCH), str(ROOT)]


def _when(rng, year=YEAR):
    start = datetime(year, 1, 1, 1, tzinfo=UTC)
    return start + timedelta(minutes=rng.randint(0, 364 * 24 * 60))


def fill_organisations(rng):
    from members.models import Branch, ContestProject, Honor, Person, Position, Society
    from members.reference import ensure_towns
    from outreach.models import Campaign, Venue

    towns = list(ensure_towns().values())
    if not Society.objects.exists():
        Society.objects.bulk_create(Society(name=f"基准学会{i}") for i in range(30))
    if not Branch.objects.exists():
        town_branches = Branch.objects.bulk_create(
            Branch(name=f"{town.name}科协", kind="town", town=town) for town in towns
        )
        Branch.objects.bulk_create(
            Branch(
                name=f"基准基层组织{i}",
                kind=rng.choice(["village", "community", "enterprise", "school"]),
                town=town_branches[i % len(towns)].town,
                parent=town_branches[i % len(towns)],
            )
            for i in range(200)
        )
        people = Person.objects.bulk_create(Person(name=f"基准人员{i}") for i in range(400))
        heads = [
            Position(
                person=people[i * 3 + k],
                branch=branch,
                role=role,
                start=date(2020, 1, 1),
            )
            for i, branch in enumerate(town_branches)
            for k, role in enumerate(Position.THREE_HEADS)
            if (i + k) % 4  # leave some heads missing
        ]
        Position.objects.bulk_create(heads)
        branches = list(Branch.objects.all())
        societies = list(Society.objects.all())
        Honor.objects.bulk_create(
            Honor(
                name=f"基准荣誉{i}",
                level=rng.choice(["national", "provincial", "prefecture", "county"]),
                year=YEAR - i % 3,
                branch=rng.choice(branches),
            )
            for i in range(300)
        )
        ContestProject.objects.bulk_create(
            ContestProject(
                year=YEAR - i % 3,
                society=societies[i % len(societies)],
                title=f"基准项目{i}",
                domain=rng.choice(ContestProject.Domain.values),
                goal="目标",
            )
            for i in range(150)
        )
    if not Venue.objects.exists():
        Venue.objects.bulk_create(
            Venue(
                name=f"基准科普阵地{i}",
                kind="base" if i % 5 == 0 else rng.choice(["e_station", "school", "community"]),
                level=rng.choice(["national", "provincial", "prefecture", "county"])
                if i % 5 == 0
                else "",
                town=towns[i % len(towns)],
            )
            for i in range(120)
        )
    for i, name in enumerate(["科普万家", "小小科学+", "筑梦未来", "农民共富", "银龄赋能"]):
        Campaign.objects.get_or_create(name=name, defaults={"start_year": 2022, "order": i})


def fill_events(rng, *, events: int, registrations: int):
    from members.models import Branch, Society
    from outreach.models import Audience, Campaign, Event, ReachEntry, Registration, Venue

    venues = list(Venue.objects.all())
    campaigns = list(Campaign.objects.all()) + [None]
    audiences = list(Audience.objects.all())
    branches = list(Branch.objects.all())
    societies = list(Society.objects.all())
    existing = Event.objects.count()
    if existing < events:
        batch = []
        for i in range(existing, events):
            starts_at = _when(rng)
            organiser = rng.random()
            batch.append(
                Event(
                    title=f"基准科普活动{i}",
                    kind="lecture",
                    campaign=rng.choice(campaigns),
                    venue=rng.choice(venues) if i % 10 else None,
                    society=rng.choice(societies) if organiser < 0.3 else None,
                    branch=rng.choice(branches) if organiser >= 0.5 else None,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                    capacity=50,
                    status="finished",
                    checked_in_count=rng.randint(0, 40),
                    reach_total=rng.randint(20, 300),
                )
            )
        created = Event.objects.bulk_create(batch, batch_size=2000)
        through = Event.audiences.through
        through.objects.bulk_create(
            [
                through(event_id=event.pk, audience_id=audience.pk)
                for event in created
                for audience in rng.sample(audiences, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
        ReachEntry.objects.bulk_create(
            [
                ReachEntry(event_id=event.pk, audience=rng.choice(audiences), walk_in=10, online=5)
                for event in created[::3]
            ],
            batch_size=5000,
        )
    existing = Registration.objects.count()
    if existing < registrations:
        event_ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
        per_event = max(registrations // len(event_ids), 1)
        statuses = ["attended"] * 14 + ["no_show"] * 3 + ["cancelled", "waitlisted"]
        rows = []
        for index in range(existing, registrations):
            status = rng.choice(statuses)
            party = rng.randint(1, 3)
            rows.append(
                Registration(
                    event_id=event_ids[(index // per_event) % len(event_ids)],
                    name=f"报名者{index}",
                    phone=f"139{index:08d}",
                    party_size=party,
                    attended_count=party if status == "attended" else 0,
                    status=status,
                    created_at=datetime.now(UTC),
                )
            )
            if len(rows) == 10_000:
                Registration.objects.bulk_create(rows)
                rows = []
        Registration.objects.bulk_create(rows)


def fill_needs(rng, *, count: int = 600):
    from experts.models import (
        Engagement,
        Enterprise,
        Expert,
        NeedTransition,
        Rating,
        Response,
        TechNeed,
    )
    from members.models import Town

    if TechNeed.objects.exists():
        return
    towns = list(Town.objects.all())
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准企业{i}",
            credit_code=f"91330482{i:09d}X",
            industry="machinery",
            town=towns[i % len(towns)],
        )
        for i in range(100)
    )
    experts = Expert.objects.bulk_create(
        Expert(name=f"基准专家{i}", title="professor", organisation="浙江大学", region="zhejiang")
        for i in range(80)
    )
    needs = []
    for i in range(count):
        published = _when(rng)
        needs.append(
            TechNeed(
                enterprise=enterprises[i % len(enterprises)],
                title=f"基准需求{i}",
                summary="摘要",
                kind="research",
                status=rng.choice(["published", "matched", "resolved", "rated"]),
                published_at=published,
            )
        )
    needs = TechNeed.objects.bulk_create(needs)
    transitions, responses = [], []
    for need in needs:
        steps = ["submitted", "published", "matched", "accepted", "in_service", "resolved"]
        for k, status in enumerate(steps[: rng.randint(2, 6)]):
            transitions.append(
                NeedTransition(
                    need=need, to_status=status, at=need.published_at + timedelta(days=k)
                )
            )
        for expert in rng.sample(experts, rng.randint(0, 3)):
            responses.append(
                Response(
                    need=need,
                    expert=expert,
                    approach="方案",
                    duration="3个月",
                    created_at=need.published_at + timedelta(hours=rng.randint(2, 400)),
                )
            )
    NeedTransition.objects.bulk_create(transitions, batch_size=5000)
    responses = Response.objects.bulk_create(responses, batch_size=5000)
    seen = set()
    engagements = []
    for response in responses:
        if response.need_id in seen or rng.random() < 0.5:
            continue
        seen.add(response.need_id)
        engagements.append(
            Engagement(need_id=response.need_id, response=response, expert_id=response.expert_id)
        )
    engagements = Engagement.objects.bulk_create(engagements)
    Rating.objects.bulk_create(
        Rating(
            engagement=engagement,
            overall=rng.randint(3, 5),
            timeliness=4,
            expertise=4,
            outcome=4,
            rated_at=_when(rng),
        )
        for engagement in engagements
    )


def users():
    from kexie.platform.accounts.models import User
    from members.models import Branch, OrgManager

    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.cn",
        defaults={"name": "基准工作人员", "role": User.Role.STAFF, "is_staff": True},
    )
    manager, created = User.objects.get_or_create(
        email="bench-manager@example.cn",
        defaults={"name": "基准管理员", "role": User.Role.MANAGER, "is_staff": True},
    )
    if created:
        OrgManager.objects.create(user=manager, branch=Branch.objects.filter(kind="town").first())
    return staff, manager


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the template and connection caches
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return {
        "url": url,
        "runs": runs,
        "p50_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": len(queries),
    }


def main():
    args = parse_args()
    configure(args.db)
    outreach_pages.create_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from outreach.models import Event, Registration

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    fill_organisations(rng)
    fill_events(rng, events=args.events, registrations=args.registrations)
    fill_needs(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    staff, manager = users()
    results = []
    for who, user in (("staff", staff), ("manager", manager)):
        client = Client()
        client.force_login(user, backend="kexie.platform.accounts.backends.PhoneOrEmailBackend")
        for url in (f"/staff/reports/?year={YEAR}", f"/staff/reports/?from={YEAR - 4}&to={YEAR}"):
            results.append({"who": who, **measure(client, url, args.runs)})
    data = {
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "results": results,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(f"{data['events']} events, {data['registrations']} registrations")
    print("| who | page | p50 ms | min ms | max ms | queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for row in results:
        print(
            f"| {row['who']} | `{row['url']}` | {row['p50_ms']} | {row['min_ms']} | "
            f"{row['max_ms']} | {row['queries']} |"
        )
    out = BENCH / "results" / f"reports_dashboard-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
