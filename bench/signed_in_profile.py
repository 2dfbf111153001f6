"""Profile of the signed-in pages of ``bench/signed_in_pages.py``, in process.

Each page is requested through Django's test client (the whole middleware
stack, the user's session) on the benchmark's data: time per request (the
median of ``--n``), its queries (count, total database time and the slowest,
``--sql`` prints them all) and, with ``--profile``, the hottest functions
(cProfile, cumulative time).

    .venv/bin/python bench/signed_in_profile.py \\
        --db postgres://postgres@127.0.0.1:5432/kexie_signed \\
        --redis redis://127.0.0.1:6379/13 --n 10 --profile --only workbench

The users, the expert and the 500-seat event are those of
``bench/signed_in_pages.py`` (created there when missing).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--n", type=int, default=10, help="requests per page")
    parser.add_argument("--only", default="", help="pages whose name contains this")
    parser.add_argument("--profile", action="store_true", help="cProfile, top functions")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime")
    parser.add_argument("--sql", action="store_true", help="print every query of one request")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import outreach_pages
    import signed_in_pages

    env = {
        **outreach_pages.environment(args.db),
        "REDIS_URL": args.redis,
        "PAGE_CACHE_SECONDS": "60",
    }
    os.environ.update(env)
    found = signed_in_pages.signed_in_users()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for who in ("staff", "enterprise", "expert"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(found[who])
        clients[who] = client
    clients["anonymous"] = clients["bare"] = Client(HTTP_HOST="127.0.0.1")
    for name, (path, who) in signed_in_pages.measured_pages(found).items():
        client = clients[who]
        if args.only and args.only not in name:
            continue
        response = client.get(path)  # warm: templates, caches of the process
        if response.status_code != 200:
            print(f"{name}: HTTP {response.status_code}")
            continue
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = captured.captured_queries
        db_ms = sum(float(q["time"]) for q in queries) * 1000
        times = []
        for _ in range(args.n):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"\n## {name} {path}\n{statistics.median(times):.1f} ms a request "
            f"(median of {args.n}, min {min(times):.1f}), {len(queries)} queries, "
            f"{db_ms:.1f} ms in the database, {len(response.content) // 1024} KiB"
        )
        slowest = sorted(queries, key=lambda q: -float(q["time"]))
        for query in queries if args.sql else slowest[:5]:
            sql = query["sql"] if args.sql else query["sql"][:300]
            print(f"  {float(query['time']) * 1000:7.1f} ms  {sql}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                client.get(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
            stats.print_stats(args.top)
            print(out.getvalue())
        reset_queries()


if __name__ == "__main__":
    main()
