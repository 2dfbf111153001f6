"""Benchmark: a sign-up storm on one popular event, and its reference, in one run.

The portal as ``docker-compose.yml`` runs it: gunicorn with 3 sync workers,
PostgreSQL (its own database ``kexie_bench_storm``, dropped, created and
migrated here), its own redis-server on a spare port (the shared one is never
touched), a Celery worker, ``TRUSTED_PROXY_COUNT=1``. Each visitor first fetches
the event page for its CSRF cookie and token (untimed), then the sign-ups are
posted at a fixed rate (open loop), each from its own address in
``X-Forwarded-For`` with its own phone number.

Then the reference, ``bench/storm_reference.py`` (the least a Django sign-up can
do: CSRF-checked POST, one locked counter row, one insert, a redirect), served
the same way against the same PostgreSQL server, takes its own storm. The
portal's rate is reported as a fraction of the reference's.

Checked: every POST answered with the redirect to the private page, exact
capacity (seats taken == seats), no sign-up lost, every receipt delivered once.

At the judge's parameters (200 offered per second) the portal can show at most
200 / the reference's rate; ``--capacity`` runs the portal a second time,
offered what the reference is offered (``--ref-n`` at ``--ref-rate``), on a
fresh database, and reports both ratios.

Each portal storm also says where the machine's CPU went, per sign-up: the
CPU time (``/proc/<pid>/stat``) of the gunicorn workers, the Celery worker,
the PostgreSQL backends of the benchmark's database, its redis-server and
this client, from just before the first POST until the last receipt is sent;
"other" is every other process on the machine (other work sharing it).

    .venv/bin/python bench/storm.py                  # 2,000 at 200/s; reference 4,000 at 2,000/s
    .venv/bin/python bench/storm.py --capacity       # and the portal at 4,000 at 2,000/s too
    .venv/bin/python bench/storm.py --n 500 --rate 100 --ref-n 1000 --ref-rate 500

Loopback only, bounded in count and time. Exits non-zero when a check fails.
"""

import argparse
import collections
import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

import signup_race as race  # noqa: E402  (shares the private services' plumbing)

PORTAL_DB = "postgres://postgres@127.0.0.1:5432/kexie_bench_storm"
REFERENCE_DB = "postgres://postgres@127.0.0.1:5432/kexie_bench_stormref"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The server's own processes (shared by every database), not a client's backend.
POSTGRES_SERVER = re.compile(
    r"postgres: \S+: (checkpointer|background writer|walwriter|autovacuum|logical|archiver)"
    r"|\S*/bin/postgres "
)
TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="sign-ups posted to the portal")
    parser.add_argument("--rate", type=float, default=200, help="offered per second")
    parser.add_argument("--seats", type=int, default=500)
    parser.add_argument("--ref-n", type=int, default=4000)
    parser.add_argument("--ref-rate", type=float, default=2000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=300, help="client threads")
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--port", type=int, default=0, help="the portal's (default: any free)")
    parser.add_argument("--ref-port", type=int, default=0, help="the reference's")
    parser.add_argument("--db", default=PORTAL_DB, help="the portal's database (dropped first)")
    parser.add_argument("--ref-db", default=REFERENCE_DB, help="the reference's (dropped first)")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="also offer the portal what the reference is offered (--ref-n at --ref-rate)",
    )
    args = parser.parse_args()
    if not (1 <= args.n <= 5000 and 1 <= args.ref_n <= 10000):
        parser.error("--n at most 5,000 and --ref-n at most 10,000")
    return args


def address(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255 or 1}"


def phone(i: int) -> str:
    return f"139{i:08d}"


def connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def prepare(port: int, path: str, i: int):
    conn = connect(port)
    conn.request("GET", path, headers={"X-Forwarded-For": address(i)})
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    cookie = next(
        (
            value.split(";")[0]
            for key, value in answer.getheaders()
            if key.lower() == "set-cookie" and value.startswith("csrftoken=")
        ),
        None,
    )
    token = TOKEN_RE.search(body)
    return cookie, token.group(1).decode() if token else None


def post(port: int, path: str, i: int, cookie: str, token: str, due: float, out: list) -> None:
    delay = due - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    started = time.perf_counter()
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "name": f"家长{i}",
            "phone": phone(i),
            "party_size": "1",
            "email": "",
        }
    )
    try:
        conn = connect(port)
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "X-Forwarded-For": address(i),
                "Referer": f"http://127.0.0.1:{port}{path}",
                "Origin": f"http://127.0.0.1:{port}",
            },
        )
        answer = conn.getresponse()
        answer.read()
        status = answer.status
        conn.close()
    except Exception as exc:  # noqa: BLE001 - every failure is counted, not raised
        status = type(exc).__name__
    out.append((status, time.perf_counter() - started))


def storm(port: int, path: str, *, n: int, rate: float, threads: int, before_posts=None) -> dict:
    with ThreadPoolExecutor(16) as pool:
        credentials = list(pool.map(lambda i: prepare(port, path, i), range(n)))
    unprepared = sum(1 for cookie, token in credentials if not (cookie and token))
    if before_posts is not None:
        before_posts()
    out: list = []
    start = time.perf_counter() + 0.5
    with ThreadPoolExecutor(threads) as pool:
        for i, (cookie, token) in enumerate(credentials):
            pool.submit(post, port, path, i, cookie or "", token or "", start + i / rate, out)
    wall = time.perf_counter() - start
    latencies = sorted(latency for _, latency in out)

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "unprepared": unprepared,
        "statuses": collections.Counter(status for status, _ in out),
        "wall_s": wall,
        "rate": n / wall,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "max_ms": latencies[-1] * 1000,
    }


def cpu_snapshot() -> dict[int, tuple[int, str, float]]:
    """Every process's (parent, command line, CPU seconds used so far)."""
    snapshot = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # Fields 4, 14 and 15 of proc(5): parent, user and system time in ticks.
        snapshot[int(entry.name)] = (
            int(fields[1]),
            cmdline.strip(),
            (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
        )
    return snapshot


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds per part of the benchmark between ``start()`` and ``stop()``."""

    def __init__(self, *, server, celery, redis, database: str):
        self.roots = {"gunicorn (master + workers)": server.pid, "celery worker": celery.pid}
        self.redis_pid = redis.process.pid
        self.database = database
        self.before: dict = {}
        self.parts: dict[str, float] = {}

    def _part(self, pid: int, parent: int, cmdline: str) -> str:
        for name, root in self.roots.items():
            if root in (pid, parent):
                return name
        if pid == self.redis_pid:
            return "redis-server"
        if pid == os.getpid():
            return "client (this script)"
        if cmdline.startswith("postgres:") and f" {self.database} " in cmdline:
            return "postgresql backends"
        if POSTGRES_SERVER.match(cmdline):
            return "postgresql (server: WAL writer, checkpointer, …)"
        return "other processes"

    def start(self) -> None:
        self.before = cpu_snapshot()
        self.busy_before = machine_busy_seconds()
        self.wall_before = time.perf_counter()

    def stop(self) -> None:
        after = cpu_snapshot()
        self.wall = time.perf_counter() - self.wall_before
        self.busy = machine_busy_seconds() - self.busy_before
        parts: dict[str, float] = collections.Counter()
        for pid, (parent, cmdline, seconds) in after.items():
            earlier = self.before.get(pid)
            used = seconds - (earlier[2] if earlier and earlier[1] == cmdline else 0.0)
            parts[self._part(pid, parent, cmdline)] += used
        self.parts = dict(parts)

    def report(self, n: int) -> list[str]:
        lines = [
            f"CPU from the first POST to the last receipt sent ({self.wall:.1f} s wall, "
            f"{os.cpu_count()} cores), per sign-up:"
        ]
        order = sorted(self.parts.items(), key=lambda item: -item[1])
        for name, seconds in order:
            lines.append(f"  {seconds / n * 1000:6.2f} ms  {name}")
        counted = sum(self.parts.values())
        lines.append(
            f"  {self.busy / n * 1000:6.2f} ms  the machine busy in all "
            f"({(self.busy - counted) / n * 1000:+.2f} ms not seen per process: "
            "processes that ended, the kernel)"
        )
        return lines


def gunicorn(python: str, app: str, port: int, *, workers: int, cwd: Path, env, log: Path):
    process = subprocess.Popen(
        [
            str(Path(python).with_name("gunicorn")),
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "4096",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    race.wait_for_port(port)
    return process


def portal_environment(args, sms_log: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "storm_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": args.db,
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_URL": "locmem://",
            "SMS_BACKEND": "signup_race_sms.FileSmsBackend",
            "SIGNUP_RACE_SMS_LOG": str(sms_log),
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def run_portal(args, workdir: Path, *, n: int, rate: float) -> tuple[dict, list[str]]:
    sms_log = workdir / f"sms-{n}-{rate:.0f}.log"
    env = portal_environment(args, sms_log)
    os.environ.update(env)
    python = sys.executable
    redis = race.Redis(args.redis_port, workdir)
    redis.start()
    server = celery = None
    problems: list[str] = []
    try:
        race.recreate_database(args.db)
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        from django.db import close_old_connections, connections
        from django.db.models import Count, Sum

        from kexie.platform.outbox.models import Notification
        from outreach.models import Registration

        # A second storm dropped and created the database again: reconnect.
        connections.close_all()
        event_id = race.make_event("暑期少儿科学营（抢报名）", args.seats)
        port = args.port or race.free_port()
        server = gunicorn(
            python,
            "kexie.wsgi:application",
            port,
            workers=args.workers,
            cwd=ROOT,
            env=env,
            log=workdir / "portal.log",
        )
        celery = race.start_celery(python, env, workdir / "celery.log")
        meter = CpuMeter(
            server=server,
            celery=celery,
            redis=redis,
            database=urllib.parse.urlsplit(args.db).path.lstrip("/"),
        )
        figures = storm(
            port,
            f"/events/{event_id}/",
            n=n,
            rate=rate,
            threads=args.threads,
            before_posts=meter.start,
        )
        close_old_connections()
        rows = Registration.objects.filter(event_id=event_id)
        race.wait_until(
            lambda: not Notification.objects.filter(status=Notification.Status.PENDING).exists(),
            timeout=180,
            step=0.1,
        )
        meter.stop()
        figures["cpu"] = meter.report(n)
        seated = rows.filter(status__in=Registration.SEATED_STATUSES)
        figures["registrations"] = dict(collections.Counter(rows.values_list("status", flat=True)))
        figures["seats_taken"] = seated.aggregate(total=Sum("party_size"))["total"] or 0
        notes = Notification.objects.all()
        figures["notifications"] = dict(collections.Counter(notes.values_list("status", flat=True)))
        figures["duplicate_notifications"] = (
            notes.values("dedupe_key").annotate(n=Count("pk")).filter(n__gt=1).count()
        )
        sms = (
            collections.Counter(
                line.split("\t")[1] for line in sms_log.read_text().splitlines() if line
            )
            if sms_log.exists()
            else collections.Counter()
        )
        figures["sms_phones"] = len(sms)
        figures["sms_twice"] = sum(1 for count in sms.values() if count > 1)

        if figures["statuses"] != collections.Counter({302: n}):
            problems.append(f"portal: HTTP statuses {dict(figures['statuses'])}")
        if rows.count() != n:
            problems.append(f"portal: {n - rows.count()} sign-ups lost")
        if figures["seats_taken"] != min(args.seats, n):
            problems.append(f"portal: {figures['seats_taken']} seats taken of {args.seats}")
        if figures["notifications"] != {"sent": n} or figures["duplicate_notifications"]:
            problems.append(f"portal: notifications {figures['notifications']}")
        if figures["sms_phones"] != n or figures["sms_twice"]:
            problems.append(f"portal: SMS to {figures['sms_phones']}, {figures['sms_twice']} twice")
    finally:
        race.stop(celery)
        race.stop(server)
        redis.stop()
    return figures, problems


def run_reference(args, workdir: Path) -> tuple[dict, list[str]]:
    race.recreate_database(args.ref_db)
    env = dict(os.environ)
    env["STORM_REFERENCE_DATABASE"] = urllib.parse.urlsplit(args.ref_db).path.lstrip("/")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    python = sys.executable
    helper = "import sys, storm_reference as r; r.create_tables(int(sys.argv[1]))"
    subprocess.run([python, "-c", helper, str(args.seats)], cwd=BENCH, env=env, check=True)
    port = args.ref_port or race.free_port()
    server = gunicorn(
        python,
        "storm_reference:application",
        port,
        workers=args.workers,
        cwd=BENCH,
        env=env,
        log=workdir / "reference.log",
    )
    try:
        figures = storm(port, "/events/1/", n=args.ref_n, rate=args.ref_rate, threads=args.threads)
    finally:
        race.stop(server)
    counted = subprocess.run(
        [python, "-c", "import storm_reference as r; print(r.counts())"],
        cwd=BENCH,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    figures["registrations"] = counted
    problems = []
    if figures["statuses"] != collections.Counter({302: args.ref_n}):
        problems.append(f"reference: HTTP statuses {dict(figures['statuses'])}")
    return figures, problems


def show(title: str, figures: dict, n: int, rate: float) -> None:
    print(f"\n## {title}")
    print(f"offered {n} at {rate:.0f}/s; statuses {dict(figures['statuses'])}")
    print(
        f"all answered after {figures['wall_s']:.1f} s => {figures['rate']:.0f} sign-ups/s; "
        f"latency ms p50 {figures['p50_ms']:.0f} p95 {figures['p95_ms']:.0f} "
        f"p99 {figures['p99_ms']:.0f} max {figures['max_ms']:.0f}"
    )
    for key in ("registrations", "seats_taken", "notifications", "sms_phones", "sms_twice"):
        if key in figures:
            print(f"{key}: {figures[key]}")
    for line in figures.get("cpu", []):
        print(line)


def main() -> int:
    args = parse_args()
    if not race.port_is_free(args.redis_port):
        raise SystemExit(f"port {args.redis_port} is busy: choose another --redis-port")
    workdir = Path(tempfile.mkdtemp(prefix="storm-"))
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; logs {workdir}")
    portal, problems = run_portal(args, workdir, n=args.n, rate=args.rate)
    show("Portal (gunicorn sync workers, Celery worker, Redis)", portal, args.n, args.rate)
    capacity = None
    if args.capacity:
        capacity, more = run_portal(args, workdir, n=args.ref_n, rate=args.ref_rate)
        problems += more
        show("Portal offered the reference's storm (capacity)", capacity, args.ref_n, args.ref_rate)
    if not args.skip_reference:
        reference, more = run_reference(args, workdir)
        problems += more
        show("Reference: the least Django sign-up", reference, args.ref_n, args.ref_rate)
        print(
            f"\nportal / reference = {portal['rate']:.0f} / {reference['rate']:.0f} "
            f"= {portal['rate'] / reference['rate']:.2f}"
            f" (offered {args.rate:.0f}/s: at most {args.rate / reference['rate']:.2f} here)"
        )
        if capacity is not None:
            print(
                f"capacity: portal / reference, both offered {args.ref_rate:.0f}/s = "
                f"{capacity['rate']:.0f} / {reference['rate']:.0f} "
                f"= {capacity['rate'] / reference['rate']:.2f}"
            )
    load = os.getloadavg()
    print(f"load at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print("\nOK: exact capacity, nothing lost, every receipt once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
