"""PostgreSQL's CPU per sign-up, and the outbox drain's, in process.

Posts ``--n`` sign-ups to one event through Django's test client (the whole
middleware stack, CSRF checked, form-encoded as the storm posts them), then
sends their receipts with one drain of the SMS outbox (``outbox_drain``, as the
Celery worker runs it). For each phase it prints the CPU time per sign-up of
the PostgreSQL backend serving this process (``/proc/<pid>/stat`` of
``pg_backend_pid()``: the server must run on this machine) and of this process
(Python), so the database's share is measured apart from the rest of a
loaded machine; ``--profile-drain`` adds the drain's hottest functions.

``--statements`` adds figures that do not depend on the machine's load: the
WAL bytes and records written per sign-up (``pg_current_wal_lsn()`` before
and after each phase: exact only on a server nobody else writes to, such as
a private one started for the purpose) and, when the database has the
``pg_stat_statements`` extension loaded (``shared_preload_libraries``), each
statement's calls, rows, buffers and WAL per sign-up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_NAME_bench_pgcpu \\
    REDIS_URL=redis://127.0.0.1:6379/DB .venv/bin/python bench/signup_pg_cpu.py --n 500

The database is migrated and gets one new event per run; Redis is only
written under the portal's own prefixes (never flushed).
"""

import argparse
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
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500, help="sign-ups to post")
    parser.add_argument("--seats", type=int, default=125)
    parser.add_argument("--profile-drain", action="store_true")
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    if not 1 <= args.n <= 5000:
        parser.error("--n between 1 and 5,000")
    return args


def backend_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


STATEMENTS_SQL = """
    SELECT calls, rows, shared_blks_hit + shared_blks_read, shared_blks_dirtied,
           wal_records, wal_bytes, total_exec_time, query
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_current_wal%'
    ORDER BY wal_bytes DESC, calls DESC
"""


class Statements:
    """WAL written, and each statement's figures, between ``start`` and ``report``."""

    def __init__(self, cursor):
        self.cursor = cursor
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")
        self.per_statement = bool(cursor.fetchone()[0])
        if self.per_statement:
            try:
                cursor.execute("SELECT pg_stat_statements_reset()")
            except Exception:
                self.per_statement = False

    def start(self):
        self.cursor.execute("SELECT pg_current_wal_lsn(), wal_records, wal_fpi FROM pg_stat_wal")
        self.lsn, self.records, self.fpi = self.cursor.fetchone()
        if self.per_statement:
            self.cursor.execute("SELECT pg_stat_statements_reset()")

    def report(self, label, n):
        self.cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)::bigint", [self.lsn])
        wal = self.cursor.fetchone()[0]
        rows = []
        if self.per_statement:
            self.cursor.execute(STATEMENTS_SQL)
            rows = self.cursor.fetchall()
        print(f"{label}: {wal / n:,.0f} bytes of WAL per sign-up (the whole server's)")
        if rows:
            records = sum(row[4] for row in rows) / n
            wal_bytes = sum(float(row[5]) for row in rows) / n
            calls = sum(row[0] for row in rows) / n
            print(
                f"  its statements: {calls:.2f} a sign-up, writing {records:.2f} WAL records"
                f" and {wal_bytes:,.0f} bytes"
            )
            print(
                "  a sign-up's: calls  rows  buffers  dirtied  WAL recs  WAL bytes  ms  statement"
            )
        for calls, nrows, blks, dirtied, recs, wbytes, ms, query in rows:
            text = " ".join(query.split())
            print(
                f"  {calls / n:17.2f} {nrows / n:5.2f} {blks / n:8.1f} {dirtied / n:8.2f}"
                f" {recs / n:9.2f} {float(wbytes) / n:10.0f} {ms / n:5.3f}   {text[:110]}"
            )


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
    os.environ.setdefault("SMS_BACKEND", "kexie.platform.outbox.sms.BaseSmsBackend")
    import django

    django.setup()
    import signup_race as race
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from kexie.platform.outbox import services
    from kexie.platform.outbox.models import Notification
    from kexie.platform.outbox.sms import BaseSmsBackend

    # Sending is not what is measured: a backend that accepts every message.
    BaseSmsBackend.send = lambda self, phone, text, *, idempotency_key="": None

    call_command("migrate", verbosity=0)
    event_id = race.make_event("抢报名（数据库）", args.seats)
    path = f"/events/{event_id}/"
    stamp = int(time.time()) % 100000
    visitors = []
    for i in range(args.n):
        client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR=f"10.8.{i >> 8}.{i & 255}")
        page = client.get(path).content.decode()
        visitors.append((client, TOKEN_RE.search(page).group(1)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    pending_before = Notification.objects.filter(status=Notification.Status.PENDING).count()

    n = args.n
    statements = Statements(connection.cursor()) if args.statements else None
    if statements:
        statements.start()
    db0, py0 = backend_cpu(pid), time.process_time()
    for i, (client, token) in enumerate(visitors):
        response = client.post(
            path,
            urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "name": f"家长{i}",
                    "phone": f"136{(stamp * 5000 + i) % 10**8:08d}",
                    "party_size": "1",
                    "email": "",
                }
            ),
            content_type="application/x-www-form-urlencoded",
        )
        if response.status_code != 302:
            raise SystemExit(f"sign-up {i}: {response.status_code}")
    db1, py1 = backend_cpu(pid), time.process_time()
    if statements:
        statements.report("the POSTs", n)
        statements.start()
        db1, py1 = backend_cpu(pid), time.process_time()

    profiler = cProfile.Profile(time.process_time) if args.profile_drain else None
    if profiler:
        profiler.enable()
    sent = services.outbox_drain(channel=Notification.Channel.SMS)
    if profiler:
        profiler.disable()
    db2, py2 = backend_cpu(pid), time.process_time()
    if statements:
        statements.report("the drain", n)
    if sent != n + pending_before:
        print(f"sent {sent}, expected {n} (+{pending_before} pending before)")

    print(f"{n} sign-ups, one drain sent {sent} ({os.getloadavg()[0]:.1f} load)")
    print("ms of CPU per sign-up   PostgreSQL backend   this process")
    print(f"  the POSTs             {(db1 - db0) / n * 1000:8.3f}  {(py1 - py0) / n * 1000:12.3f}")
    print(f"  the drain             {(db2 - db1) / n * 1000:8.3f}  {(py2 - py1) / n * 1000:12.3f}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
