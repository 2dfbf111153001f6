"""Instructions per sign-up: the sign-up POST through the WSGI handler, counted by callgrind.

Wall-clock and CPU-time figures on a shared machine move with the load (±10 %
between two storm runs of the same code); the number of instructions the
process executes does not. This runs the portal's own WSGI application
(``kexie.wsgi``'s ``WSGIHandler``: every middleware layer, the request
signals, CSRF checked, the per-address limit on) as a gunicorn worker calls
it, under ``valgrind --tool=callgrind``, and counts the instructions of the
sign-up POSTs alone: each visitor first GETs the event page for its CSRF
cookie and token, ``--warm`` sign-ups run first (prepared statements, loaded
templates, kept parts), and only then is counting switched on (callgrind's
client requests, from a small helper built with the C compiler into
``build/``) for ``--n`` sign-ups posted form-encoded from their own
addresses, as ``bench/storm.py`` posts them. The PostgreSQL and Redis
servers are other processes: their work is not in the figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_instr \\
    REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/signup_instructions.py --n 200

    # what one layer costs: the same without it (for measuring only)
    ... bench/signup_instructions.py --without django.middleware.csrf.CsrfViewMiddleware

    # no valgrind: CPU time per sign-up only (load-dependent)
    ... bench/signup_instructions.py --plain

Prints instructions per sign-up (``Ir``), the statuses, and queries and Redis
round trips per sign-up (``--plain`` only); ``--annotate N`` lists the N C functions with the
most instructions (inclusive), from ``callgrind_annotate``. The database is
migrated and gets one new event per run (``--seats``, by default an eighth
of the sign-ups, so most are waitlisted as in a storm at capacity); Redis is
written only under the portal's own prefixes.
"""

import argparse
import collections
import cProfile
import ctypes
import gc
import io
import json
import os
import pstats
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HELPER_DIR = ROOT / "build" / "callgrind_marks"
HELPER_SOURCE = """\
#include <valgrind/callgrind.h>
void marks_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void marks_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void marks_toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
"""
HOST = "127.0.0.1:8600"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="sign-ups counted")
    parser.add_argument("--warm", type=int, default=30, help="sign-ups posted before counting")
    parser.add_argument("--seats", type=int, default=0, help="default: an eighth of the sign-ups")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="MIDDLEWARE",
        help="leave this middleware layer out (dotted path; repeatable; measuring only)",
    )
    parser.add_argument(
        "--inside",
        action="append",
        default=[],
        metavar="CALLABLE",
        help="count only inside this function or method (module:Qualified.name; repeatable)",
    )
    parser.add_argument(
        "--from-layer",
        type=int,
        default=None,
        metavar="K",
        help="count only inside the middleware layers from the K-th (0: the first) inwards, "
        "the view included; K past the last: URL resolution, view middleware and view",
    )
    parser.add_argument("--plain", action="store_true", help="no valgrind: CPU time only")
    parser.add_argument(
        "--calls",
        type=int,
        default=0,
        metavar="N",
        help="with --plain: Python function calls per sign-up (cProfile), the N most called",
    )
    parser.add_argument("--annotate", type=int, default=0, metavar="N")
    parser.add_argument(
        "--keep",
        default="",
        metavar="FILE",
        help="write callgrind's output here (for callgrind_annotate)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.n <= 5000 or not 0 <= args.warm <= 1000:
        parser.error("--n between 1 and 5,000, --warm between 0 and 1,000")
    if args.plain and (args.inside or args.from_layer is not None):
        parser.error("--inside and --from-layer count instructions: not with --plain")
    return args


def build_helper() -> Path:
    """The shared library whose two functions switch callgrind's counting on and off."""
    library = HELPER_DIR / "marks.so"
    source = HELPER_DIR / "marks.c"
    if library.exists() and source.read_text() == HELPER_SOURCE:
        return library
    HELPER_DIR.mkdir(parents=True, exist_ok=True)
    source.write_text(HELPER_SOURCE)
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-O1", "-o", str(library), str(source)],
        check=True,
    )
    return library


def run_parent(args) -> int:
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise SystemExit("set DATABASE_URL (PostgreSQL) and REDIS_URL (a db of your own)")
    child = [sys.executable, str(Path(__file__).resolve()), "--child"]
    child += ["--n", str(args.n), "--warm", str(args.warm), "--seats", str(args.seats)]
    for layer in args.without:
        child += ["--without", layer]
    for where in args.inside:
        child += ["--inside", where]
    if args.from_layer is not None:
        child += ["--from-layer", str(args.from_layer)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    if args.plain:
        child += ["--plain", "--calls", str(args.calls)]
        return subprocess.run(child, env=env, check=False).returncode
    build_helper()
    with tempfile.TemporaryDirectory(prefix="signup-instr-") as workdir:
        out = Path(args.keep) if args.keep else Path(workdir) / "callgrind.out"
        figures = Path(workdir) / "figures.json"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            *(["--collect-atstart=no"] if args.inside or args.from_layer is not None else []),
            f"--callgrind-out-file={out}",
            *child,
            "--out",
            str(figures),
        ]
        started = time.monotonic()
        done = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-4000:])
            return done.returncode
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
        result = json.loads(figures.read_text())
        instructions = int(totals.group(1))
        print(
            f"{args.n} sign-ups counted (after {args.warm} uncounted), "
            f"valgrind run {time.monotonic() - started:.0f} s"
        )
        if args.without:
            print("without: " + ", ".join(args.without))
        if args.inside:
            print("inside: " + ", ".join(args.inside))
        if args.from_layer is not None:
            print(f"inside the middleware from layer {args.from_layer}: {result['layers']}")
        print(f"statuses {result['statuses']} (warm-up {result['warm']})")
        if set(result["statuses"]) | set(result["warm"]) != {"302"}:
            print("not every sign-up was made (302): the figure is not a sign-up's")
            return 1
        print(f"instructions per sign-up: {instructions / args.n:,.0f}")
        if args.annotate:
            annotated = subprocess.run(
                ["callgrind_annotate", "--inclusive=yes", str(out)],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            lines = [line for line in annotated.splitlines() if re.match(r"\s*[\d,]+ \(", line)]
            for line in lines[: args.annotate]:
                print(line[:160])
    return 0


def environ(
    method: str, path: str, i: int, *, run: int = 0, body: bytes = b"", cookie: str = ""
) -> dict:
    """What gunicorn hands the application for the storm client's request."""
    env = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8600",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": str(40000 + i % 20000),
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT_ENCODING": "identity",
        # Each visitor its own address, new in each run (the per-address limit
        # counts for an hour).
        "HTTP_X_FORWARDED_FOR": f"10.{run}.{i // 250}.{i % 250 + 1}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    if method == "POST":
        env.update(
            {
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_REFERER": f"http://{HOST}{path}",
                "HTTP_ORIGIN": f"http://{HOST}",
            }
        )
    return env


def call(application, env: dict) -> tuple[int, list, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split(" ", 1)[0])
        answer["headers"] = headers

    result = application(env, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], body


def _no_toggle() -> None:
    pass


# Switches callgrind's counting on or off: only while counting is on (the
# helper's toggle), so that no switch falls outside the counted span.
TOGGLE = [_no_toggle]


def count_inside(where: str) -> None:
    """Counting on while ``where`` (``module:Qualified.name``) runs, outermost call only."""
    import functools
    import importlib

    module_name, _, qualified = where.partition(":")
    owner = importlib.import_module(module_name)
    *path, name = qualified.split(".")
    for part in path:
        owner = getattr(owner, part)
    real = getattr(owner, name)
    if isinstance(owner, type) and isinstance(owner.__dict__.get(name), staticmethod):
        raise SystemExit(f"{where}: a static method (give its function)")
    depth = COUNTING_DEPTH

    @functools.wraps(real)
    def counted(*args, **kwargs):
        if depth[0] == 0:
            TOGGLE[0]()
        depth[0] += 1
        try:
            return real(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                TOGGLE[0]()

    setattr(owner, name, counted)


# Shared by every --inside: nested ones count once.
COUNTING_DEPTH = [0]


class CountingLayer:
    """A middleware layer that counts what the layers inside it do (``--from-layer``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        TOGGLE[0]()
        try:
            return self.get_response(request)
        finally:
            TOGGLE[0]()


def run_child(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storm_settings")
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
    os.environ.setdefault("EMAIL_URL", "locmem://")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    # The static files are not built for a benchmark (WhiteNoise says so).
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    import signup_race as race
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    layers = [layer for layer in settings.MIDDLEWARE if layer not in args.without]
    marks = None if args.plain else ctypes.CDLL(str(HELPER_DIR / "marks.so"))
    # Wrapped before the handler keeps the middleware's bound methods.
    for where in args.inside:
        count_inside(where)
    if args.from_layer is not None:
        # Django imports the layer by name: this very module, not a second copy.
        sys.modules.setdefault("signup_instructions", sys.modules[__name__])
        layers.insert(args.from_layer, "signup_instructions.CountingLayer")
    settings.MIDDLEWARE = layers
    application = WSGIHandler()
    total = args.warm + args.n
    event_id = race.make_event("抢报名（指令数）", args.seats or max(1, total // 8))
    path = f"/events/{event_id}/"
    # This run's addresses and phone numbers, unlike the last runs' (each is limited).
    run = secrets.randbelow(250) + 1
    stamp = secrets.randbelow(10000)

    visitors = []
    for i in range(total):
        status, headers, body = call(application, environ("GET", path, i, run=run))
        cookie = next(
            value.strip().split(";")[0]
            for key, value in headers
            if key.lower() == "set-cookie" and value.strip().startswith("csrftoken=")
        )
        visitors.append((cookie, TOKEN_RE.search(body).group(1).decode()))

    # The POSTs' environments are built before: only the application's work is counted.
    requests = []
    for i, (cookie, token) in enumerate(visitors):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": f"家长{i}",
                "phone": f"136{stamp:04d}{i:04d}",
                "party_size": "1",
                "email": "",
            }
        ).encode()
        requests.append(environ("POST", path, i, run=run, body=body, cookie=cookie))

    # As through a storm after its first sign-up, a drain holds the outbox's
    # request: each sign-up's ``SET NX`` finds it and publishes no drain task
    # (no Celery worker runs here to take it up and give it back; a publish
    # in one run and not the next was a fifth of the figure). Left to expire,
    # not deleted, so that a run at the same time is not disturbed.
    from django.core.cache import cache

    from kexie.platform.outbox import services as outbox

    for channel in outbox.Notification.Channel.values:
        cache.set(outbox._wake_key(channel), 1, timeout=900)
    return _measure(args, application, requests, connection, marks, total)


def _measure(args, application, requests, connection, marks, total) -> int:
    from django.conf import settings

    def posts(first: int, last: int, statuses: collections.Counter) -> None:
        for env in requests[first:last]:
            status, _headers, _body = call(application, env)
            statuses[status] += 1

    warm: collections.Counter = collections.Counter()
    posts(0, args.warm, warm)

    # Queries and round trips are counted in the plain run only: the
    # wrappers' own instructions would be in callgrind's figure.
    queries = [0]
    trips = [0]
    if args.plain:
        from kexie.platform.lib import redis_trip

        def count_query(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        real_trip = redis_trip.round_trip

        def counting_trip(client, stack):
            trips[0] += 1
            return real_trip(client, stack)

        connection.execute_wrappers.append(count_query)
        redis_trip.round_trip = counting_trip

    statuses: collections.Counter = collections.Counter()
    # What is alive now is left out of the collector's full passes: one such
    # pass over the whole heap (some 10 % of a run of 100) falls in one run
    # and not the next, by chance.
    gc.collect()
    gc.freeze()
    if args.plain:
        profiler = cProfile.Profile() if args.calls else None
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        posts(args.warm, total, statuses)
        if profiler:
            profiler.disable()
        cpu = time.process_time() - cpu
        print(f"statuses {dict(statuses)} (warm-up {dict(warm)})")
        if set(statuses) | set(warm) != {302}:
            print("not every sign-up was made (302): the figure is not a sign-up's")
            return 1
        print(f"CPU per sign-up {cpu / args.n * 1000:.2f} ms (load-dependent)")
        print(
            f"queries per sign-up {queries[0] / args.n:.2f}, "
            f"Redis round trips per sign-up {trips[0] / args.n:.2f}"
        )
        if profiler:
            if os.environ.get("PROFILE_DUMP"):
                profiler.dump_stats(os.environ["PROFILE_DUMP"])
            stats = pstats.Stats(profiler).stats
            calls = sum(count for (_p, count, _t, _c, _callers) in stats.values())
            print(f"Python function calls per sign-up {calls / args.n:,.0f} (with cProfile)")
            ranked = sorted(stats.items(), key=lambda item: -item[1][1])
            for (filename, line, function), (_p, count, *_rest) in ranked[: args.calls]:
                where = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
                print(f"  {count / args.n:7.1f}  {function}  {where}:{line}")
        return 0
    marks.marks_start()
    TOGGLE[0] = marks.marks_toggle
    posts(args.warm, total, statuses)
    TOGGLE[0] = _no_toggle
    marks.marks_stop()
    Path(args.out).write_text(
        json.dumps(
            {
                "statuses": {str(k): v for k, v in statuses.items()},
                "warm": dict(warm),
                "layers": settings.MIDDLEWARE[(args.from_layer or 0) + 1 :]
                if args.from_layer is not None
                else [],
            }
        )
    )
    return 0


def main() -> int:
    args = parse_args()
    return run_child(args) if args.child else run_parent(args)


if __name__ == "__main__":
    sys.exit(main())
