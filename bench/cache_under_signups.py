"""Benchmark: the cached event list while sign-ups keep coming (issue 15).

The portal as ``bench/storm.py`` runs it (gunicorn 3 sync workers, PostgreSQL
``kexie_bench_cachestorm``, its own redis-server, a Celery worker,
``TRUSTED_PROXY_COUNT=1``), with 40 upcoming events. The cached ``/events/`` is
measured idle, then while sign-ups are posted at ``--rate`` a second (open
loop) to an event that is *not* on the list's first page, then to one that
*is* (each of those sign-ups changes what the page shows, so the page must be
rendered again after each). Reported: requests a second and each storm's
fraction of the idle rate.

    .venv/bin/python bench/cache_under_signups.py
    .venv/bin/python bench/cache_under_signups.py --rate 10 --duration 10 --connections 8

Loopback only, bounded in count and time. Uses a threaded Python client (no
wrk on this machine): it competes for the same two cores, so read the ratios.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import outreach_pages  # noqa: E402  (its threaded client)
import signup_race as race  # noqa: E402
import storm  # noqa: E402

DATABASE = "postgres://postgres@127.0.0.1:5432/kexie_bench_cachestorm"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=10, help="sign-ups a second")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--redis-port", type=int, default=6392)
    args = parser.parse_args()
    if not (0 < args.rate <= 50 and 1 <= args.duration <= 60):
        parser.error("--rate at most 50, --duration at most 60")
    return args


def sign_ups(port: int, path: str, *, first: int, rate: float, seconds: float, stop) -> list:
    """Post sign-ups at ``rate`` for ``seconds`` (open loop); statuses returned."""
    n = int(rate * seconds) + 1
    with ThreadPoolExecutor(8) as pool:
        credentials = list(
            pool.map(lambda i: storm.prepare(port, path, i), range(first, first + n))
        )
    out: list = []
    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(16) as pool:
        for k, (cookie, token) in enumerate(credentials):
            if stop.is_set():
                break
            pool.submit(
                storm.post, port, path, first + k, cookie or "", token or "", start + k / rate, out
            )
    return [status for status, _ in out]


def _post_into(statuses: list, port: int, path: str, first: int, args, stop) -> None:
    statuses.extend(
        sign_ups(port, path, first=first, rate=args.rate, seconds=args.duration + 4, stop=stop)
    )


def main() -> int:
    args = parse_args()
    if not race.port_is_free(args.redis_port):
        raise SystemExit(f"port {args.redis_port} is busy: choose another --redis-port")
    workdir = Path(tempfile.mkdtemp(prefix="cachestorm-"))
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; logs {workdir}")
    args.db = DATABASE
    env = storm.portal_environment(args, workdir / "sms.log")
    env["DATABASE_URL"] = DATABASE
    env["LIMIT_SIGNUP"] = ""
    os.environ.update(env)
    python = sys.executable
    redis = race.Redis(args.redis_port, workdir)
    redis.start()
    server = celery = None
    try:
        race.recreate_database(DATABASE)
        import subprocess

        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        from django.conf import settings

        events = [race.make_event(f"科普活动{i}", 500) for i in range(40)]
        per_page = settings.OUTREACH_EVENTS_PER_PAGE
        shown, not_shown = events[0], events[-1]
        assert len(events) > per_page
        port = race.free_port()
        server = storm.gunicorn(
            python,
            "kexie.wsgi:application",
            port,
            workers=args.workers,
            cwd=ROOT,
            env=env,
            log=workdir / "portal.log",
        )
        celery = race.start_celery(python, env, workdir / "celery.log")
        url = f"http://127.0.0.1:{port}/events/"
        for _ in range(3):  # rendered once, then served from the cache
            urllib.request.urlopen(url, timeout=60).read()
        idle = outreach_pages.measure_python(url, duration=args.duration, connections=8)
        print(f"\nidle: {idle['rps']:.0f} requests/s, p50 {idle['p50_ms']:.1f} ms")
        results = {}
        first = 0
        for label, event_id in (("event not on the page", not_shown), ("event on the page", shown)):
            stop = threading.Event()
            statuses: list = []
            poster = threading.Thread(
                target=_post_into,
                args=(statuses, port, f"/events/{event_id}/", first, args, stop),
            )
            poster.start()
            time.sleep(3)  # the tokens are fetched and the posts under way
            during = outreach_pages.measure_python(url, duration=args.duration, connections=8)
            stop.set()
            poster.join()
            first += 10_000
            results[label] = during
            print(
                f"{args.rate:.0f} sign-ups/s to an {label}: {during['rps']:.0f} requests/s "
                f"= {during['rps'] / idle['rps']:.2f} of idle, p50 {during['p50_ms']:.1f} ms; "
                f"sign-up statuses {dict((s, statuses.count(s)) for s in set(statuses))}"
            )
        again = outreach_pages.measure_python(url, duration=args.duration, connections=8)
        print(f"idle again: {again['rps']:.0f} requests/s")
    finally:
        race.stop(celery)
        race.stop(server)
        redis.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
