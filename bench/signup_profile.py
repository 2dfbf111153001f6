"""Profile of one sign-up, in process: where its time, queries and cache round trips go.

Runs the sign-up POST of ``/events/<pk>/`` through Django's test client (the
whole middleware stack, CSRF checked) against PostgreSQL and Redis, as the
storm benchmark posts it: a first GET for the CSRF cookie and token, then the
POST from the visitor's own address. Prints per sign-up: queries (and which),
Redis commands, the time the event's row lock is held, and the hottest
functions (cProfile, or pyinstrument when installed and ``--pyinstrument``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_perf \\
    REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/signup_profile.py --n 200

The database is migrated and gets one new event per run; Redis is only
written under the portal's own prefixes (never flushed).
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import re
import sys
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="sign-ups to post")
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument(
        "--cpu-clock",
        action="store_true",
        help="cProfile counts this process's CPU time, not wall time (waits on the database "
        "and Redis drop out)",
    )
    parser.add_argument("--sort", default="cumulative", help="cProfile order (tottime, …)")
    parser.add_argument(
        "--plain", action="store_true", help="no profiler: CPU time per sign-up only"
    )
    args = parser.parse_args()
    if not 1 <= args.n <= 5000:
        parser.error("--n between 1 and 5,000")
    return args


class _NoProfiler:
    def enable(self):
        pass

    def disable(self):
        pass

    start = enable
    stop = disable


def main() -> int:
    args = parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL (a db of your own)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storm_settings")
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
    os.environ.setdefault("EMAIL_URL", "locmem://")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    import signup_race as race
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from redis.client import Pipeline, Redis

    call_command("migrate", verbosity=0)
    event_id = race.make_event("抢报名（剖析）", args.seats)
    path = f"/events/{event_id}/"
    stamp = int(time.time()) % 100000

    commands: collections.Counter = collections.Counter()
    real_execute = Redis.execute_command
    real_pipeline = Pipeline.execute

    def counting_execute(self, *parts, **options):
        commands[str(parts[0])] += 1
        return real_execute(self, *parts, **options)

    def counting_pipeline(self, *a, **k):
        commands["(pipeline)"] += 1
        return real_pipeline(self, *a, **k)

    # Round trips sent without redis-py's client (kexie.platform.lib.redis_trip).
    try:
        from kexie.platform.lib import redis_trip
    except ImportError:
        redis_trip = None
    real_trip = redis_trip.round_trip if redis_trip else None

    def counting_trip(client, stack):
        commands["(round trip: " + " ".join(str(command[0]) for command in stack) + ")"] += 1
        return real_trip(client, stack)

    visitors = []
    for i in range(args.n):
        client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR=f"10.9.{i >> 8}.{i & 255}")
        page = client.get(path).content.decode()
        visitors.append((client, TOKEN_RE.search(page).group(1)))

    # The lock span: from the SELECT … FOR UPDATE (or the conditional UPDATE of
    # the seats counter) to the COMMIT, wall time, Python included.
    marks = {"locked": None, "committed": None}
    # What psycopg2 sends: each statement, a BEGIN before one sent outside
    # autocommit with no transaction open, a COMMIT only for a transaction it
    # began (Django's query log shows BEGIN and COMMIT either way).
    trips = collections.Counter()

    def sent_begin() -> bool:
        raw = connection.connection
        return raw.status == psycopg2_ready and not raw.autocommit

    def lock_mark(execute, sql, params, many, context):
        if psycopg2_ready is not None:
            trips["BEGIN"] += sent_begin()
            trips["statements"] += 1
        if marks["locked"] is None and (
            "FOR UPDATE" in sql or re.match(r'UPDATE "outreach_event"', sql)
        ):
            marks["locked"] = time.perf_counter()
        return execute(sql, params, many, context)

    real_commit = connection.commit

    def commit():
        if psycopg2_ready is not None and connection.connection.status != psycopg2_ready:
            trips["COMMIT"] += 1
        real_commit()
        if marks["locked"] is not None and marks["committed"] is None:
            marks["committed"] = time.perf_counter()

    psycopg2_ready = None
    if connection.vendor == "postgresql":
        from psycopg2.extensions import STATUS_READY as psycopg2_ready
    connection.commit = commit
    connection.execute_wrappers.append(lock_mark)
    Redis.execute_command = counting_execute
    Pipeline.execute = counting_pipeline
    if redis_trip:
        redis_trip.round_trip = counting_trip
    queries: collections.Counter = collections.Counter()
    lock_spans = []
    statuses: collections.Counter = collections.Counter()
    profiler = None
    if args.plain:
        profiler = _NoProfiler()
    elif args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    elif args.cpu_clock:
        profiler = cProfile.Profile(time.process_time)
    else:
        profiler = cProfile.Profile()
    cpu_started = time.process_time()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        for i, (client, token) in enumerate(visitors):
            before = len(captured.captured_queries)
            profiler.enable() if not args.pyinstrument else profiler.start()
            # Form-encoded, as a browser (and the storm) posts it.
            response = client.post(
                path,
                urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "name": f"家长{i}",
                        "phone": f"137{stamp:05d}{i:03d}"[:11],
                        "party_size": "1",
                        "email": "",
                    }
                ),
                content_type="application/x-www-form-urlencoded",
            )
            profiler.disable() if not args.pyinstrument else profiler.stop()
            statuses[response.status_code] += 1
            mine = captured.captured_queries[before:]
            for query in mine:
                sql = re.sub(r"\d+", "N", query["sql"])[:110]
                queries[sql] += 1
            if marks["locked"] is not None and marks["committed"] is not None:
                lock_spans.append(marks["committed"] - marks["locked"])
            marks["locked"] = marks["committed"] = None
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    Redis.execute_command = real_execute
    Pipeline.execute = real_pipeline
    if redis_trip:
        redis_trip.round_trip = real_trip

    n = args.n
    print(f"{n} sign-ups in {elapsed:.2f} s in process (with profiler) => {n / elapsed:.0f}/s")
    print(f"statuses {dict(statuses)}; CPU of this process per sign-up {cpu / n * 1000:.1f} ms")
    print(f"\nqueries per sign-up: {sum(queries.values()) / n:.1f}")
    for sql, count in queries.most_common():
        print(f"  {count / n:4.1f}  {sql}")
    if trips:
        print(
            f"\nPostgreSQL round trips per sign-up: {sum(trips.values()) / n:.1f} "
            f"(statements {trips['statements'] / n:.1f}, BEGIN {trips['BEGIN'] / n:.1f}, "
            f"COMMIT {trips['COMMIT'] / n:.1f})"
        )
    print(f"\nRedis commands per sign-up: {sum(commands.values()) / n:.1f}")
    for name, count in commands.most_common():
        print(f"  {count / n:4.1f}  {name}")
    lock_spans.sort()
    lock_spans = lock_spans or [0.0]
    median, p95 = lock_spans[len(lock_spans) // 2], lock_spans[int(len(lock_spans) * 0.95)]
    print(
        f"\nrow lock held (lock to COMMIT, wall), ms: median {median * 1000:.2f}"
        f" p95 {p95 * 1000:.2f} ({len(lock_spans)} sign-ups)"
    )
    if args.plain:
        pass
    elif args.pyinstrument:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    else:
        if os.environ.get("PROFILE_DUMP"):
            profiler.dump_stats(os.environ["PROFILE_DUMP"])
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
