"""Where an admin change list's CPU goes, in process, on the benchmark's data.

Each admin list of ``bench/signed_in_pages.py`` is requested through Django's
test client as the staff user (whole middleware stack, the session), warmed,
then profiled with cProfile on the CPU clock (``time.process_time``: waiting
for PostgreSQL or Redis does not count, so the shares hold on a busy machine).
Printed per list: CPU ms a request, Python calls a request (cProfile, a
count the machine's load does not move), and the CPU spent in each part: the
view, its ``ChangeList``, the template and each of its blocks and tags, the
session and the user (timers around those functions, on the CPU clock; parts
nest, so shares do not add up to 100). ``--top N``: the N functions of most
CPU of their own (cProfile on the CPU clock).

    .venv/bin/python bench/admin_lists_profile.py \\
        --db postgres://postgres@127.0.0.1:5432/kexie_admin_signedin \\
        --redis redis://127.0.0.1:6379/4 [--n 30] [--only events] [--top 40]
"""

import argparse
import cProfile
import functools
import io
import os
import pstats
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]


class Timers:
    """CPU time (``time.process_time``) spent in chosen functions, with
    little overhead: each is wrapped once, a call nested in a call of the same
    part is not counted twice."""

    def __init__(self):
        self.spent: dict[str, float] = {}
        self.depth: dict[str, int] = {}

    def wrap(self, owner, attribute: str, name=None) -> None:
        real = getattr(owner, attribute, None)
        if real is None:  # not in this version of the code
            return
        timers = self

        @functools.wraps(real)
        def timed(*args, **kwargs):
            part = name(args) if callable(name) else (name or attribute)
            if timers.depth.get(part):
                return real(*args, **kwargs)
            timers.depth[part] = 1
            started = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                timers.depth[part] = 0
                timers.spent[part] = timers.spent.get(part, 0.0) + time.process_time() - started

        setattr(owner, attribute, timed)


def install_timers() -> Timers:
    from django.contrib import auth
    from django.contrib.admin import options
    from django.contrib.admin.templatetags import base
    from django.contrib.admin.views import main as changelists
    from django.contrib.messages import middleware as messages
    from django.template import library, response
    from django.test import client

    from kexie.platform.accounts import sessions
    from kexie.platform.lib import admin_lists

    timers = Timers()
    timers.wrap(client.Client, "request", "whole request")
    timers.wrap(sessions.SessionStore, "_get_session_from_db", "  session read")
    timers.wrap(auth, "get_user", "  user read (auth)")
    timers.wrap(messages.MessageMiddleware, "process_response", "  messages")
    timers.wrap(options.ModelAdmin, "changelist_view", "  the view (not its render)")
    timers.wrap(changelists.ChangeList, "__init__", "    ChangeList()")
    timers.wrap(changelists.ChangeList, "get_filters", "      filters built")
    timers.wrap(changelists.ChangeList, "get_queryset", "      get_queryset")
    timers.wrap(changelists.ChangeList, "get_results", "      get_results (count, page)")
    timers.wrap(options.ModelAdmin, "get_action_choices", "    action choices")
    timers.wrap(response.SimpleTemplateResponse, "render", "  template render")
    timers.wrap(
        base.InclusionAdminNode,
        "render",
        lambda args: f"    {{% {args[0].func.__name__.removesuffix('_tag')} %}}",
    )
    timers.wrap(library.SimpleNode, "render", lambda args: f"    {{% {args[0].func.__name__} %}}")
    from django.contrib.admin.templatetags import admin_list
    from django.template import loader_tags

    for function in ("date_hierarchy", "pagination", "search_form"):
        timers.wrap(admin_list, function, f"      {function}'s context")
    timers.wrap(loader_tags.BlockNode, "render", lambda args: f"    block {args[0].name}")
    timers.wrap(getattr(admin_lists, "_RowsOnDemand", None), "rows", "      rows read (SQL)")
    timers.wrap(admin_lists, "kept_results", "      rows' HTML (kept or rendered)")
    from kexie.templatetags import admin_rows

    timers.wrap(admin_rows, "kept_results", "      rows' HTML (kept or rendered)")
    timers.wrap(admin_rows, "result_headers", "      headers")
    timers.wrap(
        getattr(admin_rows, "_KeptResultListNode", None), "render", "    {% kept_result_list %}"
    )
    timers.wrap(
        getattr(admin_rows, "_KeptAdminNode", None),
        "render",
        lambda args: f"    {{% kept {args[0].template_name} %}}",
    )
    return timers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--n", type=int, default=30, help="requests per list")
    parser.add_argument("--only", default="", help="lists whose name contains this")
    parser.add_argument("--top", type=int, default=0, help="print the N hottest (tottime)")
    parser.add_argument("--path", default="", help="profile this admin address instead")
    parser.add_argument("--least", type=float, default=0.05, help="parts under this many ms")
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
    from django.test import Client

    pages = {
        name: path
        for name, (path, who) in signed_in_pages.measured_pages(found).items()
        if name.startswith("admin") and args.only in name
    }
    if args.path:
        pages = {args.path: args.path}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(found["staff"])
    print(f"load average {os.getloadavg()[0]:.1f}")
    timers = install_timers()
    for name, path in pages.items():
        for _ in range(3):
            assert client.get(path).status_code == 200
        timers.spent.clear()
        for _ in range(args.n):
            client.get(path)
        spent_in = dict(timers.spent)
        whole = spent_in["whole request"]
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.n):
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler)
        print(
            f"\n## {name} {path}: {whole * 1000 / args.n:.2f} ms CPU a request, "
            f"{stats.total_calls / args.n:,.0f} Python calls"
        )
        for part, spent in sorted(spent_in.items(), key=lambda item: -item[1]):
            if spent * 1000 / args.n >= args.least:
                print(f"  {part:<48} {spent * 1000 / args.n:6.2f} ms  {spent / whole:5.1%}")
        if args.top:
            out = io.StringIO()
            stats.stream = out
            stats.sort_stats("tottime").print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
