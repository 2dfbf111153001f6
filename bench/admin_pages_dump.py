"""Every admin change list's variants written to files, to compare two
versions of the code byte for byte.

Through Django's test client as the benchmark's staff superuser (and, with
``--manager``, as the first organisation manager found), on the benchmark's
data: for each registered model's change list, the list itself, then every
link of the page that changes only its query string (filters, dates, sort
orders, pages, "show all"), then the same links of each page reached that way,
up to ``--per-list`` pages a list. A page is requested twice, the second time
kept (the first fills what the code keeps); the request's CSRF token is
replaced by a mark. Run once for each worktree on the same data, then
``diff -r`` the two folders.

    .venv/bin/python bench/admin_pages_dump.py \\
        --db postgres://postgres@127.0.0.1:5432/kexie_admin6_signedin \\
        --redis redis://127.0.0.1:6379/7 --out /tmp/admin-before
"""

import argparse
import hashlib
import html
import os
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

_HREF = re.compile(r'href="(\?[^"]*)"')
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def variants(client, path: str, per_list: int) -> dict[str, bytes]:
    """Each page reached from ``path`` by its query-string links, breadth first."""
    found: dict[str, bytes] = {}
    queue = [path]
    while queue and len(found) < per_list:
        url = queue.pop(0)
        if url in found:
            continue
        client.get(url)
        response = client.get(url)
        body = response.content if response.status_code == 200 else b""
        found[url] = (
            f"{response.status_code}\n".encode() + _CSRF.sub(r"\1CSRF\2", body.decode()).encode()
        )
        for query in _HREF.findall(body.decode()):
            queue.append(path + html.unescape(query))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-list", type=int, default=40)
    parser.add_argument("--only", default="", help="lists whose address contains this")
    parser.add_argument("--manager", action="store_true", help="an organisation manager too")
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
    from django.contrib import admin
    from django.test import Client
    from django.urls import reverse

    from kexie.platform.accounts.models import User

    users = {"staff": found["staff"]}
    if args.manager:
        manager = next((u for u in User.objects.order_by("pk") if u.is_org_manager), None)
        if manager is not None:
            users["manager"] = manager
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for who, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
            opts = model._meta
            path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            if args.only not in path:
                continue
            pages = variants(client, path, args.per_list)
            for url, body in pages.items():
                name = hashlib.sha256(url.encode()).hexdigest()[:16]
                (out / f"{who}-{opts.label_lower}-{name}.html").write_bytes(
                    url.encode() + b"\n" + body
                )
            total += len(pages)
            print(f"{who} {path}: {len(pages)} pages", flush=True)
    print(f"{total} pages written to {out}")


if __name__ == "__main__":
    main()
