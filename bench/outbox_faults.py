"""Fault runs of the outbox (issue 18, findings 7 and 8): nothing lost,
duplicates only within the stated window, delivery resumes without a restart.

Everything is private and on loopback: a PostgreSQL database
``kexie_bench_outbox`` (dropped, created and migrated here), a redis-server on
a spare port (``--save ""``), a fake SMTP server in this process
(``bench/fake_smtp.py``), an SMS backend that logs every send to a file, and
the Celery processes of ``docker-compose.yml``: a worker for tasks and SMS
(``celery,outbox.sms``), a mail worker (``outbox.email``) and beat (the sweep
every minute). The shared Redis and PostgreSQL server are never stopped.

Rounds, each writing ``--messages`` mails and as many SMS through
``notification_create`` in one transaction:

1. baseline;
2. SMTP peer that never answers (accepts, says nothing) for ``--silence``
   seconds: SMS must not wait for mail; mail resumes when the peer answers;
3. mail worker's processes killed (SIGKILL) while the SMTP server holds the
   answer to QUIT, i.e. after it accepted the messages: the sweep resends
   those, and only those;
4. Redis stopped for ``--outage`` seconds while messages are written: the
   writes succeed, and everything is delivered once Redis is back.

    .venv/bin/python bench/outbox_faults.py
    .venv/bin/python bench/outbox_faults.py --messages 30 --redis-port 6391

Exits non-zero when a message is lost or a duplicate falls outside the window.
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(BENCH), str(ROOT)]

import signup_race as race  # noqa: E402  (after the path: bench helpers)
from fake_smtp import FakeSmtp  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kexie_bench_outbox"
EMAIL_TIMEOUT = 5
SWEEP_AFTER = 60
SWEEP_EVERY = 60


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--silence", type=int, default=45, help="seconds the SMTP peer is silent")
    parser.add_argument("--outage", type=int, default=20, help="seconds Redis is stopped")
    args = parser.parse_args()
    if not 1 <= args.messages <= 200:
        parser.error("--messages must be between 1 and 200")
    return args


def environment(args, smtp_port: int, sms_log: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "outbox_faults_settings",
            "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT)]),
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": args.db,
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
            "OUTBOX_SWEEP_AFTER_SECONDS": str(SWEEP_AFTER),
            "OUTBOX_FAULTS_SMS_LOG": str(sms_log),
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def start_worker(python: str, env: dict, *, queues: str, name: str, log: Path):
    return subprocess.Popen(
        [
            str(Path(python).with_name("celery")),
            "-A",
            "kexie",
            "worker",
            "--queues",
            queues,
            "--hostname",
            f"{name}@bench",
            "--concurrency",
            "2",
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
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def start_beat(python: str, env: dict, workdir: Path):
    return subprocess.Popen(
        [
            str(Path(python).with_name("celery")),
            "-A",
            "kexie",
            "beat",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(workdir / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        stdout=(workdir / "beat.log").open("ab"),
        stderr=subprocess.STDOUT,
    )


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in found.split()]


def write_messages(round_no: int, count: int, *, mail: bool = True, sms: bool = True) -> float:
    """Write the round's messages in one transaction; returns the seconds it took."""
    from django.db import transaction

    from kexie.platform.outbox.models import Notification
    from kexie.platform.outbox.services import notification_create

    started = time.monotonic()
    with transaction.atomic():
        for n in range(count):
            if mail:
                notification_create(
                    channel=Notification.Channel.EMAIL,
                    recipient=f"r{round_no}-{n}@bench.test",
                    template="test-message",
                    context={"text": f"第{round_no}轮第{n}封"},
                )
            if sms:
                notification_create(
                    channel=Notification.Channel.SMS,
                    recipient=f"13{round_no}{n:08d}",
                    template="test-message",
                    context={"text": f"第{round_no}轮第{n}条"},
                )
    return time.monotonic() - started


def mails_received(smtp: FakeSmtp, round_no: int) -> list[tuple[float, str]]:
    prefix = f"r{round_no}-"
    return [
        (at, message_id)
        for at, message_id, recipients in smtp.snapshot()
        if any(r.startswith(prefix) for r in recipients)
    ]


def sms_received(sms_log: Path, round_no: int) -> list[tuple[float, str]]:
    if not sms_log.exists():
        return []
    rows = []
    for line in sms_log.read_text().splitlines():
        at, phone, key = line.split("\t")
        if phone.startswith(f"13{round_no}"):
            rows.append((float(at), key))
    return rows


def tally(deliveries: list[tuple[float, str]]) -> dict:
    """Unique messages, duplicates, and the longest gap between a message's
    first and last delivery."""
    by_key = collections.defaultdict(list)
    for at, key in deliveries:
        by_key[key].append(at)
    gaps = [max(times) - min(times) for times in by_key.values() if len(times) > 1]
    return {
        "unique": len(by_key),
        "duplicates": sum(len(times) - 1 for times in by_key.values()),
        "max_gap_s": max(gaps) if gaps else 0.0,
    }


def wait_until(predicate, timeout: float, step: float = 0.5) -> float | None:
    """Seconds until ``predicate`` held, or None after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(step)
    return None


def main() -> int:  # noqa: C901 - a script reads best top to bottom
    args = parse_args()
    if not race.port_is_free(args.redis_port):
        raise SystemExit(f"port {args.redis_port} is busy: choose another --redis-port")
    workdir = Path(tempfile.mkdtemp(prefix="outbox-faults-"))
    sms_log = workdir / "sms.log"
    smtp = FakeSmtp().start()
    env = environment(args, smtp.port, sms_log)
    os.environ.update(env)
    python = sys.executable
    n = args.messages
    window = SWEEP_AFTER + SWEEP_EVERY + 2 * EMAIL_TIMEOUT
    rows: list[dict] = []
    failures: list[str] = []

    redis = race.Redis(args.redis_port, workdir)
    redis.start()
    try:
        race.recreate_database(args.db)
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    except BaseException:
        redis.stop()
        smtp.stop()
        raise
    import django

    django.setup()
    from kexie.platform.outbox.models import Notification

    worker = mail_worker = beat = None
    started_at = time.monotonic()
    try:
        worker = start_worker(
            python, env, queues="celery,outbox.sms", name="tasks", log=workdir / "worker.log"
        )
        mail_worker = start_worker(
            python, env, queues="outbox.email", name="mail", log=workdir / "mail-worker.log"
        )
        beat = start_beat(python, env, workdir)
        time.sleep(8)  # the workers connect and their pools start

        def all_in(round_no: int, mails: int, texts: int):
            return lambda: (
                tally(mails_received(smtp, round_no))["unique"] >= mails
                and tally(sms_received(sms_log, round_no))["unique"] >= texts
            )

        def record(round_no: int, name: str, recovered: float | None, note: str = ""):
            # A resend comes from the sweep: wait until every row is marked
            # sent (or the window is over) before counting duplicates.
            rows_of_round = Notification.objects.filter(
                recipient__regex=rf"^(r{round_no}-|13{round_no})"
            )
            wait_until(
                lambda: not rows_of_round.exclude(status=Notification.Status.SENT).exists(),
                window + 30,
                step=1,
            )
            mail = tally(mails_received(smtp, round_no))
            text = tally(sms_received(sms_log, round_no))
            expected_mail = n
            expected_sms = 0 if round_no == 3 else n
            pending = rows_of_round.exclude(status=Notification.Status.SENT)
            row = {
                "round": name,
                "written": expected_mail + expected_sms,
                "delivered": mail["unique"] + text["unique"],
                "lost": expected_mail - mail["unique"] + expected_sms - text["unique"],
                "duplicates": mail["duplicates"] + text["duplicates"],
                "max_gap_s": max(mail["max_gap_s"], text["max_gap_s"]),
                "recovered_s": recovered,
                "not_sent_rows": pending.count(),
                "note": note,
            }
            rows.append(row)
            if row["lost"]:
                failures.append(f"{name}: {row['lost']} lost")
            if row["max_gap_s"] > window:
                failures.append(f"{name}: a duplicate {row['max_gap_s']:.0f} s after the first")
            print(f"  {row}", flush=True)

        # 1. Baseline.
        print("round 1: baseline", flush=True)
        write_messages(1, n)
        took = wait_until(all_in(1, n, n), 180)
        record(1, "baseline", took)

        # 2. An SMTP peer that never answers.
        print(f"round 2: SMTP peer silent for {args.silence} s", flush=True)
        smtp.mode = "silent"
        write_messages(2, n)
        sms_took = wait_until(lambda: tally(sms_received(sms_log, 2))["unique"] >= n, 120)
        time.sleep(max(0, args.silence - (sms_took or 0)))
        attempted = Notification.objects.filter(recipient__startswith="r2-", attempts__gt=0).count()
        timeouts = Notification.objects.filter(
            recipient__startswith="r2-", last_error__icontains="timed out"
        ).count()
        smtp.mode = "normal"
        took = wait_until(all_in(2, n, n), 600, step=1)
        record(
            2,
            "SMTP peer silent",
            took,
            f"all SMS in {sms_took:.1f} s while mail was stuck"
            if sms_took is not None
            else "SMS did not all arrive during the silence",
        )
        print(f"  mails attempted during the silence: {attempted}, timed out: {timeouts}")
        if sms_took is None:
            failures.append("SMTP peer silent: SMS waited for mail")

        # 3. The mail worker's processes killed after the peer accepted.
        print("round 3: mail worker's processes killed mid-delivery", flush=True)
        smtp.mode = "slow_quit"
        smtp.quit_delay = 6
        write_messages(3, n, sms=False)
        wait_until(lambda: len(mails_received(smtp, 3)) >= 2, 60, step=0.1)
        killed = children(mail_worker.pid)
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        in_flight = len(mails_received(smtp, 3))
        smtp.mode = "normal"
        took = wait_until(all_in(3, n, 0), 600, step=1)
        record(
            3,
            "mail worker killed",
            took,
            f"{len(killed)} processes killed with {in_flight} mails accepted",
        )

        # 4. Redis stopped while messages are written.
        print(f"round 4: Redis stopped for {args.outage} s", flush=True)
        redis.stop()
        write_seconds = write_messages(4, n)
        time.sleep(max(0, args.outage - write_seconds))
        redis.start()
        took = wait_until(all_in(4, n, n), 600, step=1)
        record(4, "Redis stopped", took, f"{2 * n} rows written in {write_seconds:.1f} s")
    finally:
        for process in (beat, mail_worker, worker):
            race.stop(process)
        redis.stop()
        smtp.stop()

    print("\n| round | written | delivered | lost | duplicates | duplicate after | all delivered |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        recovered = (
            f"{row['recovered_s']:.0f} s" if row["recovered_s"] is not None else "not within 600 s"
        )
        gap = f"{row['max_gap_s']:.0f} s" if row["duplicates"] else "–"
        print(
            f"| {row['round']} | {row['written']} | {row['delivered']} | {row['lost']} | "
            f"{row['duplicates']} | {gap} | {recovered} ({row['note'] or 'after writing'}) |"
        )
    print(f"\nduplicate window stated: {window} s; whole run {time.monotonic() - started_at:.0f} s")
    print(f"logs in {workdir}")
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
