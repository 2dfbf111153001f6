"""Benchmark of the pages signed-in users see, measured as ``bench/pages.py``
measures anonymous pages.

Same environment, server and reference as ``bench/pages.py``: gunicorn with 2
workers, Redis as the cache, the page cache on (``PAGE_CACHE_SECONDS=60``; a
request with a session cookie is rendered, never served from it), ``wrk`` on
each page with the bare Django view measured again just before it. Each wrk
request carries the session cookie of its user (``-H "Cookie: sessionid=…"``),
logged in once through Django's test client.

Runs on the data ``bench/pages.py`` filled (10,000 events, 200,000 sign-ups);
adds only what signed-in pages need and that data lacks, once: three users
(staff superuser, an enterprise's user, an expert's user, all
``…@bench.invalid``), the expert, one 500-seat event with 500 confirmed
and 100 waitlisted sign-ups for the registrations list, 200,000 messages in
the outbox (one per sign-up, as the portal sends them) and 5,000 people, for
the admin change lists of sign-ups, events, needs, the outbox and people.

    .venv/bin/python bench/signed_in_pages.py --db postgres://postgres@127.0.0.1:5432/kexie_content2
"""

import argparse
import json
import os
import shutil
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(BENCH), str(ROOT)]

import outreach_pages  # noqa: E402
import pages  # noqa: E402  (server start, environment and table follow pages.py)

#: The issue's bar: ratio to the bare view (admin change lists 0.05).
BAR, ADMIN_BAR = 0.15, 0.05


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=8194)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def signed_in_users() -> dict:
    """The users, the expert and the 500-seat event (created when missing)."""
    import django

    django.setup()
    from django.utils import timezone

    from experts.models import Discipline, Enterprise, Expert
    from kexie.platform.accounts.models import User
    from outreach.models import Event, Registration

    def user(email, **fields):
        found = User.objects.filter(email=email).first()
        if found is None:
            found = User.objects.create_user(email=email, password=None, **fields)
        return found

    staff = User.objects.filter(email="staff@bench.invalid").first() or (
        User.objects.create_superuser(email="staff@bench.invalid", password=None, name="基准职员")
    )
    enterprise_user = user("enterprise@bench.invalid", name="基准企业用户")
    enterprise = Enterprise.objects.filter(needs__isnull=False).order_by("pk").first()
    enterprise.users.add(enterprise_user)
    expert_user = user("expert@bench.invalid", name="基准专家用户")
    expert = Expert.objects.filter(user=expert_user).first()
    if expert is None:
        expert = Expert.objects.create(
            user=expert_user,
            name="基准专家",
            title=Expert.Title.values[0],
            organisation="平湖市基准研究所",
            region=Expert.Region.values[0],
        )
        expert.fields.set(Discipline.objects.order_by("pk")[:3])
    event = Event.objects.filter(capacity=500, title="基准五百人讲座").first()
    if event is None:
        template = Event.objects.filter(status="published").order_by("pk").first()
        starts_at = timezone.now() + timedelta(days=20)
        event = Event.objects.create(
            title="基准五百人讲座",
            kind=template.kind,
            campaign=template.campaign,
            venue=template.venue,
            summary="五百个座位的讲座",
            description="基准测试用的大型活动。",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            capacity=500,
            status="published",
        )
        Registration.objects.bulk_create(
            Registration(
                event=event,
                name=f"大型报名者{n}",
                phone=f"137{n:08d}",
                party_size=1,
                status="confirmed" if n < 500 else "waitlisted",
                created_at=datetime.now(UTC),
            )
            for n in range(600)
        )
    fill_outbox_and_people()
    return {
        "staff": staff,
        "enterprise": enterprise_user,
        "expert": expert_user,
        "event_id": event.pk,
    }


def fill_outbox_and_people(*, notifications: int = 200_000, people: int = 5_000) -> None:
    """The outbox as the sign-ups leave it (one message each) and the people
    of the members' register, for their admin change lists (bulk, once)."""
    from django.utils import timezone

    from kexie.platform.outbox.models import Notification
    from members.models import Branch, Person

    now = timezone.now()
    missing = notifications - Notification.objects.count()
    for start in range(0, max(missing, 0), 5_000):
        Notification.objects.bulk_create(
            Notification(
                channel="sms",
                recipient=f"139{n:08d}",
                body="您已报名基准测试活动。",
                status="sent",
                attempts=1,
                created_at=now - timedelta(minutes=n),
                sent_at=now - timedelta(minutes=n),
            )
            for n in range(start, min(start + 5_000, missing))
        )
    if Person.objects.count() < people:
        branches = list(Branch.objects.order_by("pk")[:20]) or [None]
        Person.objects.bulk_create(
            Person(
                name=f"基准科技工作者{n}",
                title="高级工程师" if n % 3 else "工程师",
                employer=f"平湖市基准单位{n % 50}",
                phone=f"136{n:08d}",
                branch=branches[n % len(branches)],
            )
            for n in range(people)
        )


def measured_pages(found: dict) -> dict:
    """Each page measured: its name, its path and whose session requests it."""
    event_id = found["event_id"]
    return {
        "bare Django view (reference)": ("/bench/bare/", "bare"),
        "enterprise's dashboard /bang/my/needs/": ("/bang/my/needs/", "enterprise"),
        "expert's dashboard /bang/my/expert/": ("/bang/my/expert/", "expert"),
        "board /bang/ (expert signed in)": ("/bang/", "expert"),
        "board /bang/ (anonymous, page cache)": ("/bang/", "anonymous"),
        "staff workbench /staff/": ("/staff/", "staff"),
        "registrations of a 500-seat event (600 sign-ups)": (
            f"/staff/events/{event_id}/registrations/",
            "staff",
        ),
        "admin events change list": ("/admin/outreach/event/", "staff"),
        "admin registrations change list": ("/admin/outreach/registration/", "staff"),
        "admin needs change list": ("/admin/experts/techneed/", "staff"),
        "admin outbox change list": ("/admin/outbox/notification/", "staff"),
        "admin people change list": ("/admin/members/person/", "staff"),
    }


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"Cookie: {name}={client.cookies[name].value}"


def drain(base: str) -> None:
    """Wait until the requests wrk left queued on a slow page are served: a new
    request queues behind them, so the next measurement starts on idle workers."""
    with urllib.request.urlopen(base + "/bench/bare/", timeout=300) as response:  # noqa: S310
        response.read()


def run(env: dict, urls: dict, *, args) -> dict:
    base = f"http://127.0.0.1:{args.port}"
    bare_path = "/bench/bare/"
    gunicorn = pages.start_gunicorn(env, port=args.port, workers=args.workers)
    results = {}
    try:
        outreach_pages.wait_until_up(base)
        for name, (path, cookie) in urls.items():
            headers = (cookie,) if cookie else ()
            # wrk counts a redirect (to the login page) as success: check first.
            # The long timeout also lets a slow page's backlog drain before the next run.
            request = urllib.request.Request(
                base + path, headers=dict([cookie.split(": ", 1)]) if cookie else {}
            )
            opener = urllib.request.build_opener(pages._NoRedirect)
            with opener.open(request, timeout=120) as response:
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
            bare = outreach_pages.measure_wrk(
                base + bare_path, duration=max(args.duration // 2, 2), connections=args.connections
            )
            # A page of seconds must count, not time out at wrk's default 2 s.
            slow = {"headers": headers, "timeout": 30, "connections": args.connections}
            outreach_pages.measure_wrk(base + path, duration=2, **slow)
            drain(base)
            result = outreach_pages.measure_wrk(base + path, duration=args.duration, **slow)
            drain(base)
            result["bare_rps"] = result["rps"] if path == bare_path else bare["rps"]
            results[name] = result
            print(f"  {name}: {result['rps']:.0f} req/s", flush=True)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)
    return results


def table(results: dict) -> str:
    lines = [
        "| page | req/s | bare req/s just before | ratio | bar | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in results.items():
        bar = ADMIN_BAR if name.startswith("admin") else BAR
        ratio = result["rps"] / result["bare_rps"]
        errors = f" ({result['non_2xx']} non-2xx)" if result["non_2xx"] else ""
        lines.append(
            f"| {name}{errors} | {result['rps']:.0f} | {result['bare_rps']:.0f} | {ratio:.2f} | "
            f"{bar:.2f}{'' if ratio >= bar else ' ✗'} | {result['p50_ms']:.1f} | "
            f"{result['p99_ms']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    env = {**pages.server_environment(args.db, args.redis), "PAGE_CACHE_SECONDS": "60"}
    os.environ.update(env)
    found = signed_in_users()
    from outreach.models import Event, Registration

    data = {"events": Event.objects.count(), "registrations": Registration.objects.count()}
    cookies = {who: session_cookie(found[who]) for who in ("staff", "enterprise", "expert")}
    cookies["anonymous"] = cookies["bare"] = ""
    urls = {name: (path, cookies[who]) for name, (path, who) in measured_pages(found).items()}
    print(f"data: {data['events']} events, {data['registrations']} sign-ups")
    load_before = os.getloadavg()
    results = run(env, urls, args=args)
    load = (load_before[0], os.getloadavg()[0])
    print(
        f"\ngunicorn {args.workers} sync workers, wrk -t2 -c{args.connections}, "
        f"{args.duration} s per URL, PostgreSQL, Redis cache, DEBUG off, signed in, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} before and {load[1]:.1f} after\n"
    )
    print(table(results))
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"signed-in-pages-{stamp}.json").write_text(
        json.dumps(
            {"data": data, "args": vars(args), "load": load, "results": results},
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
