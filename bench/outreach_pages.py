"""Benchmark of the outreach pages under gunicorn.

Fills a separate PostgreSQL database with 10,000 events and 200,000 sign-ups
(bulk_create; skipped when already filled), starts gunicorn with 2 workers and
measures, in the same run, a bare Django view (the reference), the event list,
a filtered list and an event's page: requests per second and p50/p99 latency,
with ``wrk`` when it is installed, else a threaded Python client.

    .venv/bin/python bench/outreach_pages.py
    .venv/bin/python bench/outreach_pages.py --db postgres://postgres@127.0.0.1:5432/kexie_bench \
        --duration 15 --connections 8

Results are printed as a Markdown table and written to bench/results/.
"""

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

TOPICS = [
    "航天",
    "北斗导航",
    "机器人",
    "人工智能",
    "水稻",
    "蔬菜",
    "防诈骗",
    "急救",
    "垃圾分类",
    "食品安全",
    "天文",
    "昆虫",
    "新能源",
    "编程",
    "化学魔术",
    "健康",
    "近视防控",
    "用电安全",
    "气象",
    "地震",
]
KINDS = ["lecture", "weekend_class", "steam", "carnival", "exhibition", "livestream", "study_tour"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=200_000)
    parser.add_argument("--port", type=int, default=8192)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def environment(db_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "outreach_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
    }


def create_database(db_url: str) -> None:
    """Create the benchmark's PostgreSQL database when missing (any other URL: nothing to do)."""
    if not db_url.startswith("postgres"):
        return
    import psycopg2

    parts = urllib.parse.urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def fill(*, events: int, registrations: int) -> dict:
    """Bulk-create the rows; returns the ids the measured URLs need."""
    import django

    django.setup()
    from django.utils import timezone

    from members.models import Town
    from outreach.models import Audience, Campaign, Event, Registration, Venue

    rng = random.Random(42)
    towns = [
        Town.objects.get_or_create(name=name, defaults={"order": i})[0]
        for i, name in enumerate(
            [
                "当湖街道",
                "钟埭街道",
                "曹桥街道",
                "乍浦镇",
                "新埭镇",
                "新仓镇",
                "黄姑镇",
                "独山港镇",
                "广陈镇",
                "林埭镇",
            ]
        )
    ]
    if Venue.objects.count() < 60:
        Venue.objects.bulk_create(
            Venue(name=f"基准科普阵地{i}", kind="e_station", town=towns[i % len(towns)])
            for i in range(60)
        )
    venues = list(Venue.objects.all())
    campaigns = [
        Campaign.objects.get_or_create(name=name, defaults={"start_year": 2022})[0]
        for name in ["科普万家", "小小科学+", "筑梦未来", "农民共富", "银龄赋能"]
    ]
    audiences = list(Audience.objects.all())
    existing = Event.objects.count()
    if existing < events:
        now = timezone.now()
        batch = []
        for i in range(existing, events):
            topic = rng.choice(TOPICS)
            starts_at = now + timedelta(hours=rng.randint(-180 * 24, 180 * 24))
            batch.append(
                Event(
                    title=f"{topic}科普讲座第{i}期",
                    kind=rng.choice(KINDS),
                    campaign=rng.choice(campaigns),
                    venue=rng.choice(venues),
                    summary=f"关于{topic}的科普活动",
                    description=f"本场活动介绍{topic}的基本知识和最新进展。" * 3,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2),
                    capacity=rng.choice([20, 30, 50, 100]),
                    status="finished" if starts_at < now else "published",
                )
            )
        created = Event.objects.bulk_create(batch, batch_size=2000)
        Through = Event.audiences.through
        Through.objects.bulk_create(
            [
                Through(event_id=event.pk, audience_id=audience.pk)
                for event in created
                for audience in rng.sample(audiences, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
    existing = Registration.objects.count()
    if existing < registrations:
        event_ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
        per_event = max(registrations // len(event_ids), 1)
        rows = []
        for index in range(existing, registrations):
            event_id = event_ids[(index // per_event) % len(event_ids)]
            k = index % per_event
            rows.append(
                Registration(
                    event_id=event_id,
                    name=f"报名者{index}",
                    phone=f"139{index:08d}",
                    party_size=1,
                    status="confirmed" if k < 18 else "waitlisted",
                    created_at=datetime.now(UTC),
                )
            )
            if len(rows) == 10_000:
                Registration.objects.bulk_create(rows)
                rows = []
        Registration.objects.bulk_create(rows)
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics after the bulk load, as autovacuum would gather.
        cursor.execute("ANALYZE")
    upcoming = Event.objects.filter(status="published").order_by("starts_at")
    detail = upcoming.filter(registrations__isnull=False).first()
    return {
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "detail_id": detail.pk,
        "town_id": towns[3].pk,
    }


def wait_until_up(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/bench/bare/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()
    return float(value) * _UNITS[unit]


def measure_wrk(
    url: str, *, duration: int, connections: int, headers: tuple = (), timeout: int = 0
) -> dict:
    """``headers``: extra request headers, e.g. ``("Cookie: sessionid=…",)``;
    ``timeout``: seconds before wrk gives up on a response (wrk's default 2 s when 0)."""
    extra = [arg for header in headers for arg in ("-H", header)]
    extra += ["--timeout", f"{timeout}s"] if timeout else []
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\n\s+50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\n\s+99%\s+(\S+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    non_2xx = int(errors.group(1)) if errors else 0
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": non_2xx}


def measure_python(url: str, *, duration: int, connections: int) -> dict:
    """A threaded client for machines without wrk (slower: it measures less)."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    latencies: list[float] = []
    failures = [0]
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def run():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                failures[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / duration,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "non_2xx": failures[0],
    }


def main() -> None:
    args = parse_args()
    env = environment(args.db)
    os.environ.update(env)
    sys.path[:0] = [str(BENCH), str(ROOT)]
    create_database(args.db)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    started = time.monotonic()
    ids = fill(events=args.events, registrations=args.registrations)
    print(
        f"data: {ids['events']} events, {ids['registrations']} sign-ups "
        f"(filled in {time.monotonic() - started:.0f} s)"
    )
    base = f"http://127.0.0.1:{args.port}"
    q = urllib.parse.quote("讲座")
    urls = {
        "bare Django view (reference)": "/bench/bare/",
        "event list /events/": "/events/",
        "filtered list (text + kind + town)": f"/events/?q={q}&kind=lecture&town={ids['town_id']}",
        "event page /events/<id>/": f"/events/{ids['detail_id']}/",
    }
    gunicorn = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            "kexie.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results = {}
    try:
        wait_until_up(base)
        tool = "wrk" if shutil.which("wrk") else "python-threads"
        measure = measure_wrk if tool == "wrk" else measure_python
        for label, path in urls.items():
            measure(base + path, duration=2, connections=args.connections)  # warm-up
            results[label] = measure(
                base + path, duration=args.duration, connections=args.connections
            )
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)
    print(
        f"\ngunicorn {args.workers} sync workers, {tool}, {args.connections} connections, "
        f"{args.duration} s per URL, PostgreSQL, DEBUG off\n"
    )
    print("| page | requests/s | p50 ms | p99 ms | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, result in results.items():
        print(
            f"| {label} | {result['rps']:.0f} | {result['p50_ms']:.1f} | "
            f"{result['p99_ms']:.1f} | {result['non_2xx']} |"
        )
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"outreach_pages-{stamp}.json").write_text(
        json.dumps({"data": ids, "tool": tool, "args": vars(args), "results": results}, indent=2)
    )


if __name__ == "__main__":
    main()
