"""Python calls and queries a request for each page of ``bench/signed_in_pages.py``.

Through Django's test client on the benchmark's data, counted by cProfile: the
number of Python calls does not move with the machine's load, where a timing
on a shared 2-core machine does, so two versions of the code can be compared
on a busy machine.

    .venv/bin/python bench/signed_in_calls.py \\
        --db postgres://postgres@127.0.0.1:5432/kexie_signedin_mine_bench \\
        --redis redis://127.0.0.1:6379/13 [--only admin] [--n 10]
"""

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--n", type=int, default=10, help="requests per page")
    parser.add_argument("--only", default="", help="pages whose name contains this")
    args = parser.parse_args()
    import outreach_pages
    import signed_in_pages

    os.environ.update(
        {
            **outreach_pages.environment(args.db),
            "REDIS_URL": args.redis,
            "PAGE_CACHE_SECONDS": "60",
        }
    )
    found = signed_in_pages.signed_in_users()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for name, (path, who) in signed_in_pages.measured_pages(found).items():
        if args.only not in name:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if who in found:
            client.force_login(found[who])
        for _ in range(3):  # warm: templates, kept parts and rows
            client.get(path)
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            profiler.enable()
            for _ in range(args.n):
                client.get(path)
            profiler.disable()
        calls = pstats.Stats(profiler).total_calls / args.n
        print(f"| {name} | {calls:,.0f} | {len(queries.captured_queries) / args.n:.0f} |")


if __name__ == "__main__":
    main()
