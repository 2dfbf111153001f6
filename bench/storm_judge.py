"""The outside judge's storm, in one run: ``flash.py`` against the portal, then
against ``minisignup`` (the judge's own least Django sign-up), as the judge's
README says: 2,000 sign-ups at 200/s to an event of 500 seats for the portal
(gunicorn 3 sync workers, PostgreSQL, its own Redis, a Celery worker,
``TRUSTED_PROXY_COUNT=1``), 4,000 at 2,000/s for the reference.

    .venv/bin/python bench/storm_judge.py --redis-port 6395 --port 8422 --ref-port 8423 \\
        --db postgres://postgres@127.0.0.1:5432/kexie_storm_bench --ref-db kexie_storm_mini

Prints both of flash.py's reports, the portal's checks (exact capacity,
receipts once) and the ratio. ``--rate`` offers the portal another rate (the
reference's, for its capacity). Loopback only.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import signup_race as race  # noqa: E402
import storm  # noqa: E402

JUDGE = Path(os.environ.get("STORM_JUDGE", "/work/shared/judge"))
RATE_RE = re.compile(r"=> (\d+) sign-ups/s")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seats", type=int, default=500)
    parser.add_argument("--ref-n", type=int, default=4000)
    parser.add_argument("--ref-rate", type=float, default=2000)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--port", type=int, default=8422)
    parser.add_argument("--ref-port", type=int, default=8423)
    parser.add_argument("--db", default=storm.PORTAL_DB)
    parser.add_argument("--ref-db", default="kexie_bench_minisignup", help="a database name")
    return parser.parse_args()


def flash(port: int, path: str, n: int, rate: float) -> tuple[str, float]:
    out = subprocess.run(
        [sys.executable, str(JUDGE / "flash.py"), f"http://127.0.0.1:{port}", path,
         "--n", str(n), "--rate", str(rate)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return out, float(RATE_RE.search(out).group(1))


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="storm-judge-"))
    load = os.getloadavg()
    print(f"load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; logs {workdir}")
    sms_log = workdir / "sms.log"
    env = storm.portal_environment(args, sms_log)
    env["DATABASE_URL"] = args.db
    os.environ.update(env)
    redis = race.Redis(args.redis_port, workdir)
    redis.start()
    server = celery = None
    problems = []
    try:
        race.recreate_database(args.db)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=BENCH.parent, env=env, check=True,
        )  # fmt: skip
        import django

        django.setup()
        from django.db.models import Count

        from kexie.platform.outbox.models import Notification
        from outreach.models import Registration

        event_id = race.make_event("暑期少儿科学营（抢报名）", args.seats)
        server = storm.gunicorn(
            sys.executable, "kexie.wsgi:application", args.port, workers=3,
            cwd=BENCH.parent, env=env, log=workdir / "portal.log",
        )  # fmt: skip
        celery = race.start_celery(sys.executable, env, workdir / "celery.log")
        report, portal_rate = flash(args.port, f"/events/{event_id}/", args.n, args.rate)
        print("\n## Portal (flash.py)\n" + report)
        race.wait_until(
            lambda: not Notification.objects.filter(status=Notification.Status.PENDING).exists(),
            timeout=180,
        )
        rows = Registration.objects.filter(event_id=event_id)
        statuses = collections.Counter(rows.values_list("status", flat=True))
        notes = collections.Counter(Notification.objects.values_list("status", flat=True))
        twice = (
            Notification.objects.values("dedupe_key").annotate(n=Count("pk")).filter(n__gt=1)
        ).count()
        sms = collections.Counter(
            line.split("\t")[1] for line in sms_log.read_text().splitlines() if line
        )
        print(f"registrations {dict(statuses)}; notifications {dict(notes)}; "
              f"SMS to {len(sms)} phones, {sum(c > 1 for c in sms.values())} twice")  # fmt: skip
        if rows.count() != args.n or statuses["confirmed"] != min(args.n, args.seats):
            problems.append("portal: capacity or sign-ups off")
        if notes != {"sent": args.n} or twice or len(sms) != args.n:
            problems.append("portal: receipts off")
    finally:
        race.stop(celery)
        race.stop(server)
        redis.stop()

    ref_env = dict(os.environ, DATABASE_NAME=args.ref_db)
    ref_env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.ref_db],
                   check=True)  # fmt: skip
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.ref_db], check=True)
    subprocess.run([sys.executable, "app.py"], cwd=JUDGE / "minisignup", env=ref_env, check=True)
    reference = storm.gunicorn(
        sys.executable, "app:application", args.ref_port, workers=3,
        cwd=JUDGE / "minisignup", env=ref_env, log=workdir / "reference.log",
    )  # fmt: skip
    try:
        report, reference_rate = flash(args.ref_port, "/events/1/", args.ref_n, args.ref_rate)
    finally:
        race.stop(reference)
    print("\n## minisignup (flash.py)\n" + report)
    load = os.getloadavg()
    print(
        f"portal / minisignup = {portal_rate:.0f} / {reference_rate:.0f} = "
        f"{portal_rate / reference_rate:.2f} (offered {args.rate:.0f}/s: at most "
        f"{args.rate / reference_rate:.2f}); load at the end {load[0]:.1f} {load[1]:.1f}"
    )
    if problems:
        print("FAILED: " + "; ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
