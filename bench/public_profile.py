"""Profile of the public pages the page cache does not serve, in process.

Each page of ``bench/pages.py`` (home, the event list, the filtered list, an
event's page, the article list, an article, search) goes through the whole
WSGI application (every middleware, as gunicorn calls it) with
``PAGE_CACHE_SECONDS=0``, against the benchmark's PostgreSQL data and Redis.
Prints per page: wall and CPU milliseconds per request, the queries and their
time, and (``--profile``) the hottest functions by cProfile.

    .venv/bin/python bench/public_profile.py \\
        --db postgres://postgres@127.0.0.1:5432/kexie_pub --redis redis://127.0.0.1:6379/11 \\
        --n 50 --profile --top 30

Only reads: nothing is written to the database; Redis only under the portal's
own prefixes.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--n", type=int, default=50, help="requests per page")
    parser.add_argument("--profile", action="store_true", help="cProfile each page")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", default="", help="substring of the page names to run")
    parser.add_argument("--queries", action="store_true", help="print each page's queries")
    parser.add_argument("--sort", default="tottime", help="cProfile sort (tottime, cumulative)")
    parser.add_argument(
        "--calls",
        action="store_true",
        help="also count Python calls and Redis round trips a request (load-independent)",
    )
    return parser.parse_args()


def environ(path: str) -> dict:
    split = urllib.parse.urlsplit(path)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": urllib.parse.unquote(split.path),
        "QUERY_STRING": split.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> int:
    args = parse_args()
    import outreach_pages

    os.environ.update(
        {
            **outreach_pages.environment(args.db),
            "REDIS_URL": args.redis,
            "PAGE_CACHE_SECONDS": "0",
            "MEDIA_ROOT": str(BENCH / "results" / "media"),
            "PRIVATE_MEDIA_ROOT": str(BENCH / "results" / "private-media"),
        }
    )
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    import pages as pages_bench
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    application = get_wsgi_application()
    from members.models import Town

    town_id = Town.objects.order_by("pk").values_list("pk", flat=True).first()
    detail_id = pages_bench.open_event_id()
    from kexie.portal.content.models import Article

    article_id = (
        Article.objects.public().order_by("-publish_at").values_list("pk", flat=True).first()
    )
    q = urllib.parse.quote("讲座")
    urls = {
        "bare": "/bench/bare/",
        "home": "/",
        "event list": "/events/",
        "filtered list": f"/events/?q={q}&kind=lecture&town={town_id}",
        "event page": f"/events/{detail_id}/",
        "article list": "/news/",
        "article": f"/news/{article_id}/",
        "search": "/search/?q=" + urllib.parse.quote("机器人"),
    }

    def call(path: str) -> tuple[str, bytes]:
        found = {}

        def start_response(status, headers, exc_info=None):
            found["status"] = status

        body = b"".join(application(environ(path), start_response))
        return found["status"], body

    queries: list = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    import redis.connection

    round_trips = [0]
    send = redis.connection.AbstractConnection.send_packed_command

    def counted_send(self, command, check_health=True):
        round_trips[0] += 1
        return send(self, command, check_health)

    redis.connection.AbstractConnection.send_packed_command = counted_send

    def calls_and_trips(path: str) -> tuple[float, float]:
        """Python calls (cProfile's count) and Redis commands sent, per request."""
        profiler = cProfile.Profile()
        round_trips[0] = 0
        profiler.enable()
        for _ in range(args.n):
            call(path)
        profiler.disable()
        return pstats.Stats(profiler).total_calls / args.n, round_trips[0] / args.n

    print(f"{args.n} requests per page, PAGE_CACHE_SECONDS=0, load {os.getloadavg()[0]:.1f}")
    extra = " Python calls | Redis round trips |" if args.calls else ""
    print(f"| page | wall ms | CPU ms | queries | query ms | bytes |{extra}")
    print("| --- | ---: | ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if args.calls else ""))
    profiles = {}
    for name, path in urls.items():
        if args.only and args.only not in name:
            continue
        for _ in range(3):  # warm: templates, connections, translations
            status, body = call(path)
        if not status.startswith("200"):
            print(f"{name}: {status}")
            continue
        queries.clear()
        profiler = cProfile.Profile() if args.profile else None
        with connection.execute_wrapper(wrapper):
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.n):
                call(path)
            if profiler:
                profiler.disable()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        per_query = sum(seconds for seconds, _ in queries) / args.n
        count = len(queries) / args.n
        tail = ""
        if args.calls:
            calls, trips = calls_and_trips(path)
            tail = f" {calls:,.0f} | {trips:.1f} |"
        print(
            f"| {name} | {wall / args.n * 1000:.2f} | {cpu / args.n * 1000:.2f} | "
            f"{count:.1f} | {per_query * 1000:.2f} | {len(body)} |{tail}",
            flush=True,
        )
        if args.queries:
            seen = {}
            for seconds, sql in queries:
                entry = seen.setdefault(sql[:300], [0, 0.0])
                entry[0] += 1
                entry[1] += seconds
            for sql, (count, seconds) in sorted(seen.items(), key=lambda item: -item[1][1]):
                print(f"    {count / args.n:.1f}x {seconds / count * 1000:.2f} ms  {sql}")
        if profiler:
            profiles[name] = profiler
    for name, profiler in profiles.items():
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"\n### {name} (cProfile, {args.n} requests, sorted by {args.sort})")
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
