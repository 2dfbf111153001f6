"""Benchmark: 500 sign-ups at once over HTTP for an event with 50 seats.

Runs gunicorn (2 workers, 4 threads each) on a free loopback port against its
own PostgreSQL database (``kexie_bench_race``, dropped, created and migrated
here) and its own redis-server (a spare loopback port, ``--save ""``; the
shared Redis is never touched).

Round 1, Redis up: 500 clients each fetch the event page (CSRF cookie), wait
at a barrier, then post a sign-up together. Expected: 50 confirmed, 450
waitlisted, 0 lost, 0 errors; every confirmation delivered once by the
Celery worker.

Round 2, Redis stopped: the same against a second event. Every sign-up must
succeed and its confirmation stay pending in the outbox. Then Redis comes
back, a Celery worker starts, the outbox sweep runs (as a Celery task and, at
the same time, from this script) and every confirmation must be delivered
exactly once: Notification rows by status, no duplicate dedupe key or
recipient, and one line per recipient in the SMS log.

    .venv/bin/python bench/signup_race.py
    .venv/bin/python bench/signup_race.py --clients 500 --seats 50 --redis-port 6390

Exits non-zero when a figure is off. Loopback only, bounded in count and time.
"""

import argparse
import collections
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kexie_bench_race"
CSRF_RE = re.compile(r"csrftoken=([A-Za-z0-9]+)")
DEADLINE_SECONDS = 600


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not 1 <= args.clients <= 2000:
        parser.error("--clients must be between 1 and 2000")
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # Connections of an earlier run may linger in TIME_WAIT; that is not "busy".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def environment(args, sms_log: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "signup_race_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": args.db,
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "EMAIL_URL": "locmem://",
            "SMS_BACKEND": "signup_race_sms.FileSmsBackend",
            "SIGNUP_RACE_SMS_LOG": str(sms_log),
            # Rows this old count as lost to the sweep: in round 2 every task was lost.
            "OUTBOX_SWEEP_AFTER_SECONDS": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"kexie_bench_[a-z_]+|kexie_[a-z0-9]+_bench[a-z_]*", name):
        raise SystemExit(f"refusing to drop {name!r}: not kexie_bench_* nor kexie_*_bench*")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


class Redis:
    """A private redis-server, stopped and started again in round 2."""

    def __init__(self, port: int, workdir: Path):
        self.port = port
        self.workdir = workdir
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


def make_event(title: str, seats: int) -> int:
    from django.utils import timezone

    from members.models import Town
    from outreach.models import Event, Venue

    town, _ = Town.objects.get_or_create(name="当湖街道", defaults={"kind": Town.Kind.TOWN})
    venue, _ = Venue.objects.get_or_create(
        name="平湖市科技馆",
        defaults={"kind": Venue.Kind.MUSEUM, "town": town, "address": "平湖市新华路1号"},
    )
    starts = timezone.now() + timedelta(days=7)
    event = Event.objects.create(
        title=title,
        kind=Event.Kind.WEEKEND_CLASS,
        status=Event.Status.PUBLISHED,
        venue=venue,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=seats,
        max_party_size=1,
        summary="抢报名压力测试",
    )
    return event.pk


def phone_for(round_no: int, n: int) -> str:
    return f"13{round_no}{n:08d}"


def sign_up_together(port: int, event_id: int, *, clients: int, round_no: int) -> dict:
    """Each client gets the form (and its CSRF cookie), then all post at once."""
    path = f"/events/{event_id}/"
    barrier = threading.Barrier(clients, timeout=120)
    results: list = [None] * clients

    def client(n: int) -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", path)
            page = conn.getresponse()
            page.read()
            cookie = CSRF_RE.search(page.getheader("Set-Cookie") or "")
            if page.status != 200 or cookie is None:
                raise RuntimeError(f"form page answered {page.status}")
            token = cookie.group(1)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "name": f"家长{n}",
                    "phone": phone_for(round_no, n),
                    "party_size": "1",
                }
            )
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            barrier.wait()
            started = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={token}",
                },
            )
            answer = conn.getresponse()
            answer.read()
            elapsed = time.perf_counter() - started
            location = answer.getheader("Location") or ""
            ok = answer.status == 302 and "/events/r/" in location
            results[n] = ("ok" if ok else f"HTTP {answer.status}", elapsed)
            conn.close()
        except Exception as exc:  # noqa: BLE001 - every failure is counted, not raised
            results[n] = (f"{type(exc).__name__}: {exc}"[:80], None)
            barrier.abort()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    wall = time.perf_counter() - started
    outcomes = collections.Counter(result[0] if result else "no answer" for result in results)
    latencies = sorted(result[1] for result in results if result and result[1] is not None)
    return {
        "outcomes": outcomes,
        "wall_s": wall,
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else None,
        "max_ms": latencies[-1] * 1000 if latencies else None,
    }


def registration_counts(event_id: int) -> dict:
    from outreach.models import Registration

    rows = Registration.objects.filter(event_id=event_id)
    by_status = collections.Counter(rows.values_list("status", flat=True))
    return {"total": rows.count(), **by_status}


def notification_counts(round_no: int) -> dict:
    from django.db.models import Count

    from kexie.platform.outbox.models import Notification

    rows = Notification.objects.filter(recipient__startswith=f"13{round_no}")
    by_status = collections.Counter(rows.values_list("status", flat=True))
    duplicate_keys = rows.values("dedupe_key").annotate(n=Count("pk")).filter(n__gt=1).count()
    duplicate_recipients = rows.values("recipient").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {
        "rows": rows.count(),
        "by_status": dict(by_status),
        "duplicate_dedupe_keys": duplicate_keys,
        "duplicate_recipients": duplicate_recipients,
    }


def sms_deliveries(sms_log: Path, round_no: int) -> collections.Counter:
    if not sms_log.exists():
        return collections.Counter()
    phones = [line.split("\t")[1] for line in sms_log.read_text().splitlines() if line]
    return collections.Counter(p for p in phones if p.startswith(f"13{round_no}"))


def wait_until(predicate, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def start_celery(python: str, env: dict, logfile: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(python).with_name("celery")),
            "-A",
            "kexie",
            "worker",
            "--concurrency",
            "2",
            # Every queue: tasks, and each channel of the outbox (kexie/settings.py routes).
            "--queues",
            "celery,outbox.email,outbox.sms",
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=logfile.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def report(title: str, race: dict, regs: dict, notes: dict, sms: collections.Counter) -> None:
    print(f"\n## {title}")
    print(f"HTTP outcomes: {dict(race['outcomes'])}")
    print(
        f"wall {race['wall_s']:.1f} s for the whole round; POST latency p50 "
        f"{race['p50_ms']:.0f} ms, max {race['max_ms']:.0f} ms"
        if race["p50_ms"] is not None
        else f"wall {race['wall_s']:.1f} s"
    )
    print(f"registrations: {regs}")
    print(f"notifications: {notes}")
    twice = sum(1 for n in sms.values() if n > 1)
    print(f"SMS delivered: {sum(sms.values())} to {len(sms)} phones, {twice} phones more than once")


def main() -> int:  # noqa: C901 - a script reads best top to bottom
    args = parse_args()
    if not port_is_free(args.redis_port):
        raise SystemExit(f"port {args.redis_port} is busy: choose another --redis-port")
    for tool in ("redis-server",):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed")
    workdir = Path(tempfile.mkdtemp(prefix="signup-race-"))
    sms_log = workdir / "sms.log"
    env = environment(args, sms_log)
    os.environ.update(env)
    sys.path[:0] = [str(BENCH), str(ROOT)]
    python = sys.executable
    started_at = time.monotonic()

    redis = Redis(args.redis_port, workdir)
    # Up before migrating: data migrations may touch the cache.
    redis.start()
    try:
        recreate_database(args.db)
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    except BaseException:
        redis.stop()
        raise
    import django

    django.setup()
    from django.db import close_old_connections

    from kexie.platform.outbox.models import Notification

    port = free_port()
    gunicorn = celery = None
    failures: list[str] = []
    expected = {
        "confirmed": min(args.seats, args.clients),
        "waitlisted": max(args.clients - args.seats, 0),
    }
    try:
        gunicorn = subprocess.Popen(
            [
                str(Path(python).with_name("gunicorn")),
                "kexie.wsgi:application",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=(workdir / "gunicorn.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_for_port(port)
        celery = start_celery(python, env, workdir / "celery.log")
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}, "
            f"PostgreSQL {urllib.parse.urlsplit(args.db).path.lstrip('/')}, "
            f"redis-server on 127.0.0.1:{args.redis_port}, {args.clients} clients, "
            f"{args.seats} seats; logs in {workdir}"
        )

        # Round 1: Redis up.
        event_1 = make_event("周末亲子科学课（第一轮）", args.seats)
        race = sign_up_together(port, event_1, clients=args.clients, round_no=1)
        close_old_connections()
        wait_until(
            lambda: (
                Notification.objects.filter(
                    recipient__startswith="131", status=Notification.Status.PENDING
                ).count()
                == 0
            ),
            timeout=120,
        )
        regs, notes, sms = (
            registration_counts(event_1),
            notification_counts(1),
            sms_deliveries(sms_log, 1),
        )
        report("Round 1: Redis up", race, regs, notes, sms)
        failures += check_round(1, race, regs, notes, sms, expected, args.clients)

        # Round 2: Redis stopped while the sign-ups come in.
        stop(celery)
        celery = None
        redis.stop()
        event_2 = make_event("周末亲子科学课（第二轮，Redis 停止）", args.seats)
        race = sign_up_together(port, event_2, clients=args.clients, round_no=2)
        close_old_connections()
        pending = notification_counts(2)
        print(f"\nwith Redis down, after the sign-ups: notifications {pending}")
        if pending["by_status"] != {"pending": args.clients}:
            failures.append(f"round 2: expected {args.clients} pending, got {pending}")
        redis.start()
        celery = start_celery(python, env, workdir / "celery.log")
        time.sleep(3)  # the worker connects
        from kexie.platform.outbox import services
        from kexie.platform.outbox.tasks import outbox_sweep

        # Two sweeps at once, one in the worker and one here: each row is still sent once.
        outbox_sweep.delay()
        swept_here = services.outbox_sweep()
        wait_until(
            lambda: (
                Notification.objects.filter(
                    recipient__startswith="132", status=Notification.Status.PENDING
                ).count()
                == 0
            ),
            timeout=120,
        )
        regs, notes, sms = (
            registration_counts(event_2),
            notification_counts(2),
            sms_deliveries(sms_log, 2),
        )
        report("Round 2: Redis stopped during the sign-ups, then back", race, regs, notes, sms)
        print(f"delivered by this script's sweep: {swept_here}, by the worker's: the rest")
        failures += check_round(2, race, regs, notes, sms, expected, args.clients)
    finally:
        stop(celery)
        stop(gunicorn)
        redis.stop()
    print(f"\ntotal time {time.monotonic() - started_at:.0f} s")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nOK: every figure as expected")
    return 0


def check_round(round_no, race, regs, notes, sms, expected, clients) -> list[str]:
    problems = []
    if race["outcomes"] != collections.Counter({"ok": clients}):
        problems.append(f"round {round_no}: HTTP outcomes {dict(race['outcomes'])}")
    for status, count in expected.items():
        if regs.get(status, 0) != count:
            problems.append(f"round {round_no}: {regs.get(status, 0)} {status}, expected {count}")
    if regs["total"] != clients:
        problems.append(f"round {round_no}: {clients - regs['total']} sign-ups lost")
    if notes["by_status"] != {"sent": clients}:
        problems.append(f"round {round_no}: notifications {notes['by_status']}")
    if notes["duplicate_dedupe_keys"] or notes["duplicate_recipients"]:
        problems.append(f"round {round_no}: duplicate notifications {notes}")
    if len(sms) != clients or any(n != 1 for n in sms.values()):
        problems.append(f"round {round_no}: SMS deliveries {sum(sms.values())} to {len(sms)}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
