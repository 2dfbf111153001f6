#!/usr/bin/env python3
"""Walk the English portal as one user and list the Chinese it still shows (standard library only).

    english_crawl.py BASE [--login EMAIL PASSWORD] [--max 300] [--skip REGEX]
                     [--mo locale/en/LC_MESSAGES/django.mo]

Opens /en/ (which keeps English in a cookie), logs in (or stays anonymous), walks same-site
links breadth-first, GET only, and gathers every visible text node and user-facing attribute
(placeholder, title, aria-label, alt, value) that holds CJK characters.
Each is classed against the English catalogue:

  TRANSLATED-MSGID  the text is a msgid with an English translation, yet the page shows it in
                    Chinese: a missing {% translate %} / gettext, or a lazy string evaluated at
                    import time;
  OTHER             no msgid: data (titles, names, towns) or an unwrapped string; read them.

Prints each text once with the number of pages and the first page that showed it.
"""

import argparse
import gettext
import html
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import deque

HREF = re.compile(r'href="([^"#]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SKIP = (
    "/static/",
    "/media/",
    "/accounts/logout",
    "/language/",
    "/admin/logout",
    "/admin/jsi18n",
    "/en/",
    "/zh-hans/",
)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
ATTR = re.compile(r'\b(?:placeholder|title|aria-label|alt|value|data-confirm)="([^"]*)"')
DROP = re.compile(r"<(script|style|template)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def fetch(op, url, data=None, referer=None):
    req = urllib.request.Request(url, data=data, headers={"Referer": referer or url})
    try:
        with op.open(req, timeout=60) as r:
            ctype = r.headers.get("Content-Type", "")
            return r.status, r.geturl(), ctype, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, url, "", e.read().decode("utf-8", "replace")


def texts(body):
    body = DROP.sub(" ", body)
    for value in ATTR.findall(body):
        yield html.unescape(value).strip()
    for chunk in TAG.split(body):
        yield " ".join(html.unescape(chunk).split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--login", nargs=2)
    ap.add_argument("--max", type=int, default=300)
    ap.add_argument("--mo", default="locale/en/LC_MESSAGES/django.mo")
    ap.add_argument("--start", default="/")
    ap.add_argument("--skip", default="", help="a regular expression of paths not to walk")
    a = ap.parse_args()
    with open(a.mo, "rb") as f:
        catalogue = {
            k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if isinstance(k, str) and v
        }
    base = a.base.rstrip("/")
    op = opener()
    fetch(op, base + "/en/")  # the /en/ prefix sets the language cookie and redirects
    if a.login:
        fields = {"username": a.login[0], "password": a.login[1]}
        _, _, _, body = fetch(op, base + "/accounts/login/")
        m = TOKEN.search(body)
        fields["csrfmiddlewaretoken"] = m.group(1) if m else ""
        status, url, _, _ = fetch(
            op,
            base + "/accounts/login/",
            urllib.parse.urlencode(fields).encode(),
            referer=base + "/accounts/login/",
        )
        if "/accounts/login" in url:
            print(f"could not log in ({status})")
            return 1
    seen, queue, pages = {a.start}, deque([a.start]), 0
    found = {}
    while queue and pages < a.max:
        path = queue.popleft()
        status, _, ctype, body = fetch(op, base + path)
        pages += 1
        if "html" not in ctype:
            continue
        for text in texts(body):
            if text and CJK.search(text):
                kind = "TRANSLATED-MSGID" if text in catalogue else "OTHER"
                entry = found.setdefault(text, [kind, 0, path])
                entry[1] += 1
        for href in HREF.findall(body):
            href = href.replace("&amp;", "&")
            u = urllib.parse.urlparse(urllib.parse.urljoin(base + path, href))
            if u.netloc and u.netloc != urllib.parse.urlparse(base).netloc:
                continue
            p = u.path + ("?" + u.query if u.query else "")
            if not u.path.startswith("/") or any(u.path.startswith(s) for s in SKIP):
                continue
            if a.skip and re.search(a.skip, p):
                continue
            if p not in seen:
                seen.add(p)
                queue.append(p)
    for text, (kind, n, first) in sorted(
        found.items(), key=lambda kv: (kv[1][0] != "TRANSLATED-MSGID", -kv[1][1])
    ):
        print(f"{kind:16} {n:4}  {first}  {text[:140]}")
    shown = sum(1 for v in found.values() if v[0] != "OTHER")
    print(
        f"{pages} pages walked, {shown} translated msgids shown in Chinese, "
        f"{len(found) - shown} other CJK texts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
