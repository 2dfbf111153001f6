"""CPU a request costs on the public pages the page cache does not serve, under
gunicorn: each worker's and each of its PostgreSQL backends' CPU time read from
``/proc`` before and after a wrk run, divided by the requests served.

Unlike ``bench/pages.py``'s requests per second, this does not move with what
else runs on the machine, so "before" and "after" can be compared on a shared
machine. It leaves out wrk's and Redis's CPU. Linux only; the database and the
bench's media as ``bench/pages.py`` (run that first to fill them).

    .venv/bin/python bench/pages_cpu.py --db postgres://postgres@127.0.0.1:5432/kexie_pub \\
        --redis redis://127.0.0.1:6379/11 --port 8431
"""

import argparse
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import outreach_pages  # noqa: E402
import pages  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=8194)
    parser.add_argument("--duration", type=int, default=4, help="seconds per page")
    return parser.parse_args()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> int:
    args = parse_args()
    env = pages.server_environment(args.db, args.redis)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from kexie.portal.content.models import Article
    from members.models import Town

    town = Town.objects.order_by("pk").values_list("pk", flat=True)[3]
    article = Article.objects.public().order_by("-publish_at").values_list("pk", flat=True).first()
    q = urllib.parse.quote("讲座")
    urls = {
        "bare view": "/bench/bare/",
        "home": "/",
        "event list": "/events/",
        "filtered list": f"/events/?q={q}&kind=lecture&town={town}",
        "event page": f"/events/{pages.open_event_id()}/",
        "board": "/bang/",
        "/news/": "/news/",
        "article": f"/news/{article}/",
        "search": "/search/?q=" + urllib.parse.quote("机器人"),
    }

    def backends() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    server = pages.start_gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, port=args.port, workers=2)
    base = f"http://127.0.0.1:{args.port}"
    try:
        outreach_pages.wait_until_up(base)
        found = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=True
        )
        workers = [int(pid) for pid in found.stdout.split()]
        print(f"load average {os.getloadavg()[0]:.1f}")
        print("| page | gunicorn CPU ms a request | PostgreSQL CPU ms a request | ratio |")
        print("| --- | ---: | ---: | ---: |")
        bare = None
        for name, path in urls.items():
            wrk = ["wrk", "-t1", "-c2"]
            subprocess.run([*wrk, "-d1s", base + path], capture_output=True, check=True)
            database = backends()
            before = [cpu_seconds(pid) for pid in workers], [cpu_seconds(p) for p in database]
            output = subprocess.run(
                [*wrk, f"-d{args.duration}s", base + path],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            after = [cpu_seconds(pid) for pid in workers], [cpu_seconds(p) for p in database]
            served = int(re.search(r"(\d+) requests in", output).group(1))
            gunicorn_ms = (sum(after[0]) - sum(before[0])) / served * 1000
            database_ms = (sum(after[1]) - sum(before[1])) / served * 1000
            total = gunicorn_ms + database_ms
            bare = bare or total
            print(
                f"| {name} | {gunicorn_ms:.2f} | {database_ms:.2f} | {bare / total:.2f} |",
                flush=True,
            )
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
