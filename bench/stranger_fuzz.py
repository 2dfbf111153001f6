"""A stranger's fuzz of a running portal, from the outside (standard library only).

Crawls the site as each role (anonymous and the demo accounts), collects every
same-site link and every form, then sends bad input: junk in every query
parameter a page's links and forms name (and in ``page``, ``sort``, dates,
ids), repeated parameters, every form posted with junk in each field, wrong
methods, wrong content types and bad JSON; also every URL pattern of the
URLconf with out-of-range ids in its path. Counts requests and lists every
answer of 500 or more.

    .venv/bin/python bench/stranger_fuzz.py http://127.0.0.1:8640 [--max-pages 400]

Run it against ``/work/tools/prodserve.py`` (DEBUG off, nginx in front). It
posts forms, so it writes (sign-ups, lecture requests, messages): use a
throw-away database. Limits answer 429 after a while, which is counted too.
"""

import argparse
import collections
import http.client
import json
import random
import re
import sys
import urllib.parse
from html.parser import HTMLParser

PASSWORD = "kexie-demo-2026"
ROLES = {
    "anonymous": None,
    "public": "public@demo.kexie",
    "enterprise": "enterprise@demo.kexie",
    "expert": "expert@demo.kexie",
    "manager": "manager@demo.kexie",
    "staff": "staff@demo.kexie",
}
SKIP = re.compile(r"^/(static|media)/|logout|/admin/.*/delete/|/en/accounts/logout")
JUNK = [
    "999999",
    "-1",
    "abc",
    "0",
    "9" * 30,
    "1e999",
    "NaN",
    "\x00",
    "a\x00b",
    "𝟙𝟚",
    "²",
    "١٢",
    "\u202e\u200b",
    "x" * 5000,
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "'\"<script>",
    "../../etc/passwd",
    "-created_at",
    "__class__",
    "pk__gt",
    "%",
    "",
]
ALWAYS = [
    "page",
    "sort",
    "order",
    "o",
    "q",
    "next",
    "date_from",
    "date_to",
    "from",
    "to",
    "year",
    "month",
    "id",
    "pk",
]


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "enctype": a.get("enctype") or "",
                "fields": collections.OrderedDict(),
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name:
                return
            kind = (a.get("type") or "text").lower()
            if tag == "input" and kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].setdefault(name, ("", kind))
                if a.get("value") and not self._form["fields"][name][0]:
                    self._form["fields"][name] = (a.get("value"), kind)
                return
            if tag == "button" and kind != "submit":
                return
            self._form["fields"][name] = (a.get("value") or "", "file" if kind == "file" else tag)
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and self._form is not None:
            value = a.get("value")
            if value and not self._form["fields"][self._select][0]:
                self._form["fields"][self._select] = (value, "select")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


class Client:
    def __init__(self, base: str, address: str):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.address = address
        self.cookies: dict[str, str] = {}
        self.count = 0
        self.statuses: collections.Counter = collections.Counter()
        self.failures: list[str] = []

    def request(self, method, path, body=None, content_type=None, extra=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-For": self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"http://{self.host}:{self.port}{path}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        if content_type:
            headers["Content-Type"] = content_type
        headers.update(extra or {})
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            content = r.read()
        except Exception as exc:  # a dropped connection is a defect too
            self.failures.append(f"{method} {path[:200]}: {exc!r}")
            return 0, b"", {}
        finally:
            conn.close()
        self.count += 1
        self.statuses[r.status] += 1
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                self.cookies[k] = rest.split(";", 1)[0]
        if r.status >= 500 and r.status != 503:
            self.failures.append(f"{r.status} {method} {path[:200]} body={str(body)[:200]}")
        return r.status, content, dict((k.lower(), v) for k, v in r.getheaders())

    def form_post(self, path, fields: dict, files=None):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files is not None:
            boundary = "----kexiefuzz"
            parts = []
            for k, vs in fields.items():
                for v in vs if isinstance(vs, list) else [vs]:
                    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                    parts.append(head.encode() + str(v).encode("utf-8", "surrogatepass") + b"\r\n")
            for k, (fname, ctype, data) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                    f'filename="{fname}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                    + data
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")
        body = urllib.parse.urlencode(fields, doseq=True)
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def login(self, email):
        self.request("GET", "/accounts/login/")
        status, _, headers = self.form_post(
            "/accounts/login/", {"username": email, "password": PASSWORD}
        )
        return status == 302


def local(href: str, base_path: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
        return None
    u = urllib.parse.urlsplit(urllib.parse.urljoin(base_path, href))
    if u.netloc and not u.netloc.startswith("127.0.0.1"):
        return None
    path = u.path + ("?" + u.query if u.query else "")
    return path


def shape(path: str) -> str:
    """One crawl per URL shape: digits in the path folded."""
    u = urllib.parse.urlsplit(path)
    return re.sub(r"\d+", "N", u.path) + "?" + ",".join(sorted(urllib.parse.parse_qs(u.query)))


def crawl(client: Client, max_pages: int):
    seen, shapes, queue, forms = set(), set(), ["/", "/en/"], {}
    while queue and len(seen) < max_pages:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        s = shape(path)
        if s in shapes:
            continue
        shapes.add(s)
        seen.add(path)
        status, content, headers = client.request("GET", path)
        if "text/html" not in headers.get("content-type", ""):
            continue
        page = Page()
        page.feed(content.decode("utf-8", "replace"))
        for href in page.links:
            p = local(href, path)
            if p and p not in seen:
                queue.append(p)
        for f in page.forms:
            action = local(f["action"], path) if f["action"] else path
            if action and not SKIP.search(action):
                forms.setdefault((action.split("?")[0], f["method"]), (f, path))
    return seen, forms


def junk_queries(client: Client, pages: set, rng: random.Random):
    for path in sorted(pages):
        u = urllib.parse.urlsplit(path)
        names = set(urllib.parse.parse_qs(u.query)) | set(ALWAYS)
        for name in sorted(names):
            for value in rng.sample(JUNK, 6):
                q = urllib.parse.urlencode({name: value})
                client.request("GET", f"{u.path}?{q}")
        # Every name at once, repeated, and as arrays.
        q = "&".join(f"{n}=1&{n}=2&{n}[]=x" for n in sorted(names))
        client.request("GET", f"{u.path}?{q}")
        client.request("GET", f"{u.path}?%ff%fe=%c3%28&page=%00")


FILES = {
    "svg": (
        "x.svg",
        "image/svg+xml",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "html": ("x.png", "image/png", b"<html><script>alert(1)</script></html>"),
    "empty": ("x.pdf", "application/pdf", b""),
    "pdfhtml": ("x.pdf", "application/pdf", b"%PDF-1.4\n<html><script>alert(1)</script>"),
    "bomb": ("x.png", "image/png", None),
}


def png_bomb() -> bytes:
    import struct
    import zlib

    width = height = 30000
    raw = zlib.compress(b"\x00" * (1 + width // 8) * 200, 9)

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


def junk_forms(client: Client, forms: dict, rng: random.Random):
    bomb = png_bomb()
    for (action, method), (form, page) in sorted(forms.items()):
        fields = {k: v for k, (v, _kind) in form["fields"].items()}
        files = [k for k, (_v, kind) in form["fields"].items() if kind == "file"]
        plain = {k: v for k, v in fields.items() if k not in files and k != "csrfmiddlewaretoken"}
        if method == "get":
            for k in plain:
                for value in rng.sample(JUNK, 5):
                    query = urllib.parse.urlencode({**plain, k: value})
                    client.request("GET", f"{action}?{query}")
            continue
        # Refresh the token from the page that holds the form.
        client.request("GET", page)
        for k in plain:
            for value in rng.sample(JUNK, 4):
                if files:
                    client.form_post(action, {**plain, k: value}, files={})
                else:
                    client.form_post(action, {**plain, k: value})
            client.form_post(action, {**plain, k: ["1", "2"]})
        client.form_post(action, {})
        client.request("POST", action, b"{bad json", "application/json")
        client.request("POST", action, json.dumps(plain), "application/json")
        client.request("POST", action, b"\xff\xfe\x00", "text/plain")
        client.request("PUT", action, b"a=1", "application/x-www-form-urlencoded")
        client.request("DELETE", action)
        for f in files:
            for key, (name, ctype, data) in FILES.items():
                upload = (name, ctype, bomb if key == "bomb" else data)
                client.form_post(action, plain, files={f: upload})


def url_patterns(client: Client):
    """Every pattern of the URLconf with out-of-range values in its converters."""
    sys.path.insert(0, ".")
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    os.environ.setdefault("SECRET_KEY", "fuzz-only-" + "x" * 50)
    import django

    django.setup()
    from django.urls import URLPattern, URLResolver, get_resolver

    routes = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    values = {"int": ["0", "9223372036854775808", "1" * 30], "str": ["x", "%00", "..%2f", "字"]}
    values["slug"] = ["x-y", "a" * 300]
    values["path"] = ["a/b", "../../etc/passwd", "%2e%2e/"]
    n = 0
    for route in routes:
        if route.startswith("^") or "admin/" in route:
            continue
        for variant in range(3):

            def fill(m, variant=variant):
                kind = m.group(1) or "str"
                vs = values.get(kind, values["str"])
                return vs[variant % len(vs)]

            path = "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)
            for method in ("GET", "POST"):
                client.request(method, path, b"", "application/x-www-form-urlencoded")
                n += 1
    return len(routes), n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--max-pages", type=int, default=300)
    ap.add_argument("--roles", default=",".join(ROLES))
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-forms", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    totals = collections.Counter()
    failures = []
    for i, role in enumerate(a.roles.split(",")):
        client = Client(a.base, f"203.0.113.{10 + i}")
        if ROLES[role] and not client.login(ROLES[role]):
            print(f"{role}: log-in failed", flush=True)
            continue
        pages, forms = crawl(client, a.max_pages)
        junk_queries(client, pages, rng)
        if not a.no_forms:
            junk_forms(client, forms, rng)
        if role == "anonymous":
            nroutes, n = url_patterns(client)
            print(f"  {nroutes} URL patterns, {n} requests with bad path values", flush=True)
        print(
            f"{role}: {len(pages)} pages, {len(forms)} forms, {client.count} requests, "
            f"statuses {dict(sorted(client.statuses.items()))}, {len(client.failures)} failures",
            flush=True,
        )
        for f in client.failures:
            print("   ", f, flush=True)
        totals.update(client.statuses)
        failures += client.failures
    print(f"total: {sum(totals.values())} requests, {dict(sorted(totals.items()))}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
