"""Fault run: PostgreSQL stopped under a running portal, then started again.

Starts a private PostgreSQL cluster (initdb in a temporary folder, a spare
loopback port; the shared server on 5432 is never touched), migrates a
database in it, and serves the portal with gunicorn (production settings:
DEBUG off, kept connections with health checks, ``CONN_MAX_AGE=600``; the page
cache off so that every request reaches the database). Then three rounds over
the same pages:

1. database up: every page 200;
2. database stopped (``pg_ctl stop -m fast``): every page that needs it 503
   with ``Retry-After`` (the log-in form needs none and stays 200),
   ``/healthz`` 503, nothing 500;
3. database started again: the pages answer 200 again without restarting
   gunicorn; the time from the start to the first full round of 200s is shown.

    .venv/bin/python bench/db_down.py [--rounds 5]

Prints a table; exits non-zero when a figure is off. Loopback only, bounded.
"""

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import stack  # noqa: E402

PAGES = ["/", "/events/", "/bang/", "/orgs/", "/search/?q=科普", "/accounts/login/", "/healthz"]


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in versions:
        if (folder / name).exists():
            return str(folder / name)
    raise SystemExit(f"{name} not found (install postgresql)")


class Cluster:
    """A private PostgreSQL cluster, as the postgres user when run as root."""

    def __init__(self, workdir: Path, port: int):
        self.data = workdir / "pgdata"
        self.port = port
        self.log = workdir / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(workdir, "postgres")

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.run(pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def stop(self) -> None:
        self.run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def _start(cluster: Cluster) -> None:
    options = f"-p {cluster.port} -k {cluster.data} -c listen_addresses=127.0.0.1 -c fsync=off"
    cluster.run(
        pg_bin("pg_ctl"), "-D", str(cluster.data), "-o", options, "-l", str(cluster.log), "-w",
        "start",
    )  # fmt: skip


def sweep(port: int) -> list[tuple[str, int, bool, float]]:
    """Each page once: (path, status, has Retry-After, milliseconds)."""
    rows = []
    for path in PAGES:
        started = time.perf_counter()
        status, headers, _body = stack.get(port, path, timeout=30)
        rows.append(
            (path, status, "Retry-After" in headers, (time.perf_counter() - started) * 1000)
        )
    return rows


def summarise(name: str, rows) -> dict:
    statuses = Counter(status for _path, status, _retry, _ms in rows)
    times = [ms for *_rest, ms in rows]
    return {
        "round": name,
        "requests": len(rows),
        "200": statuses.get(200, 0),
        "503 + Retry-After": sum(1 for _p, s, retry, _ms in rows if s == 503 and retry),
        "500": statuses.get(500, 0),
        "other": sum(n for s, n in statuses.items() if s not in (200, 503, 500)),
        "p50 ms": statistics.median(times),
        "max ms": max(times),
    }


def print_table(summaries: list[dict], recovery: float) -> None:
    columns = list(summaries[0])
    print("| " + " | ".join(columns) + " |")
    print("| --- | " + " | ".join("---:" for _ in columns[1:]) + " |")
    for row in summaries:
        cells = [f"{v:.1f}" if isinstance(v, float) else str(v) for v in row.values()]
        print("| " + " | ".join(cells) + " |")
    print(f"\nfirst full round of 200s {recovery:.2f} s after PostgreSQL accepted connections")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="sweeps of the pages per phase")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 50:
        parser.error("--rounds must be between 1 and 50")

    workdir = Path(tempfile.mkdtemp(prefix="kexie-db-down-"))
    cluster = Cluster(workdir, stack.free_port())
    gunicorn = None
    try:
        cluster.init()
        _start(cluster)
        subprocess.run(
            [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
             "kexie_db_down"],
            check=True, timeout=60,
        )  # fmt: skip
        env = stack.production_env(
            database_url=cluster.url("kexie_db_down"),
            static_root=workdir / "static",
            media_root=workdir / "media",
            CONN_MAX_AGE=600,
            PAGE_CACHE_SECONDS=0,
        )
        env.pop("REDIS_URL", None)
        print("migrating the private database …", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT, env=env, check=True, timeout=600,
        )  # fmt: skip
        stack.build_static(workdir / "static")
        gunicorn, port = stack.start_gunicorn(env, workdir, workers=2)

        summaries = []
        up = [row for _ in range(args.rounds) for row in sweep(port)]
        summaries.append(summarise("PostgreSQL up", up))

        cluster.stop()
        down = [row for _ in range(args.rounds) for row in sweep(port)]
        summaries.append(summarise("PostgreSQL stopped", down))

        _start(cluster)
        back_at = time.monotonic()
        deadline = back_at + 60
        while True:
            rows = sweep(port)
            if all(status == 200 for _p, status, _r, _ms in rows):
                recovery = time.monotonic() - back_at
                break
            if time.monotonic() > deadline:
                recovery = float("nan")
                break
            time.sleep(0.2)
        back = [row for _ in range(args.rounds) for row in sweep(port)]
        summaries.append(summarise("PostgreSQL back (no restart)", back))
        print_table(summaries, recovery)
        served = sorted({path for path, status, _r, _ms in down if status == 200})
        print("200 while stopped (needs no database): " + (", ".join(served) or "none"))

        ok = (
            summaries[0]["200"] == summaries[0]["requests"]
            and summaries[1]["500"] == summaries[1]["other"] == 0
            and summaries[1]["503 + Retry-After"] + summaries[1]["200"] == summaries[1]["requests"]
            and all(s == 503 for p, s, _r, _ms in down if p in ("/", "/events/", "/healthz"))
            and summaries[2]["200"] == summaries[2]["requests"]
        )
        if not ok:
            print("FAILED: see the table", file=sys.stderr)
            print(gunicorn.output(), file=sys.stderr)
        return 0 if ok else 1
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
