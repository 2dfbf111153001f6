"""Benchmark of the public pages an anonymous visitor sees, under gunicorn.

Reuses the data of ``bench/outreach_pages.py`` (10,000 events, 200,000
sign-ups in the PostgreSQL database ``kexie_bench``; filled when missing) and
adds 2,000 technical needs for the 科协帮 board and 1,000 articles with covers
(24 drawn pictures uploaded through the service, shared in turn). Starts gunicorn with 2 workers
and Redis as the cache (db 5 of the shared 127.0.0.1:6379 by default), and
measures with ``wrk``, in the same run, a bare Django view returning "ok" (the
reference) and home, the event list, a filtered list, an event's page, the
board, the article list, an article and the search page (when the URLconf has
one): requests per second, p50/p99 latency and the ratio to the bare view,
measured again just before each page. Each page is measured twice:
with the page cache (``PAGE_CACHE_SECONDS=60``, warm) and without it
(``PAGE_CACHE_SECONDS=0``), each in its own gunicorn.

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --duration 10 --connections 8 \\
        --redis redis://127.0.0.1:6379/5

A line "hit ratio" reports the ``X-Page-Cache`` header of a sample of requests
after the run, so a page that silently stopped caching shows. The pictures
each list page loads (home, the article lists, events, venues) are fetched
once and their bytes added up. Results are
printed as a Markdown table and written to bench/results/.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(BENCH), str(ROOT)]

import outreach_pages  # noqa: E402  (the fill step and the wrk parser are shared)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/kexie_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--registrations", type=int, default=200_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--articles", type=int, default=1_000, help="in the four columns")
    parser.add_argument("--port", type=int, default=8193)
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--no-uncached", action="store_true", help="skip the run without the page cache"
    )
    return parser.parse_args()


def fill_needs(*, count: int) -> None:
    """Enterprises and needs for the board, half of them published (bulk_create)."""
    from django.utils import timezone

    from experts.models import Discipline, Enterprise, NeedTransition, TechNeed

    if TechNeed.objects.count() >= count:
        return
    now = timezone.now()
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准测试企业{n}有限公司",
            credit_code=f"91330482{n:09d}X",
            industry=Enterprise.Industry.MACHINERY,
            verified=True,
        )
        for n in range(200)
    )
    topics = outreach_pages.TOPICS
    needs = TechNeed.objects.bulk_create(
        TechNeed(
            enterprise=enterprises[n % len(enterprises)],
            title=f"{topics[n % len(topics)]}相关技术难题{n}",
            summary=f"企业在{topics[n % len(topics)]}方面遇到的问题，寻求专家指导。",
            details="不公开的细节",
            kind=TechNeed.Kind.values[n % len(TechNeed.Kind.values)],
            status=TechNeed.Status.PUBLISHED if n % 2 else TechNeed.Status.SUBMITTED,
            status_changed_at=now - timedelta(hours=n),
            published_at=now - timedelta(hours=n) if n % 2 else None,
        )
        for n in range(count)
    )
    disciplines = list(Discipline.objects.values_list("pk", flat=True)[:20])
    Through = TechNeed.fields.through
    need_column, discipline_column = _fk(Through, TechNeed), _fk(Through, Discipline)
    Through.objects.bulk_create(
        Through(**{need_column: need.pk, discipline_column: disciplines[i % len(disciplines)]})
        for i, need in enumerate(needs)
    )
    NeedTransition.objects.bulk_create(
        NeedTransition(need=need, from_status="draft", to_status="submitted", at=now)
        for need in needs
    )


def fill_articles(*, count: int) -> int:
    """``count`` public articles over the four columns (when there are fewer),
    each with a cover: 24 pictures drawn and uploaded through the service, so
    the renditions are real files, shared by the articles in turn. Returns the
    id of the newest article."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from kexie.platform.pictures import drawing
    from kexie.platform.pictures.models import Picture
    from kexie.platform.pictures.services import picture_create
    from kexie.portal.content.models import Article, Column

    missing = count - Article.objects.public().count()
    if missing > 0:
        pictures = list(Picture.objects.filter(credit="bench")[:24])
        for n in range(len(pictures), 24):
            motif = drawing.MOTIFS[n % len(drawing.MOTIFS)]
            palette = list(drawing.PALETTES)[n % len(drawing.PALETTES)]
            data = drawing.cover(title=f"科普知识第{n}期", motif=motif, palette=palette, seed=n)
            pictures.append(
                picture_create(
                    upload=SimpleUploadedFile("cover.jpg", data, content_type="image/jpeg"),
                    alt=drawing.alt_text(motif, f"科普知识第{n}期"),
                    credit="bench",
                    by=None,
                )
            )
        columns = list(Column.objects.all())
        now = timezone.now()
        body = "<p>" + "平湖市科协组织开展科普活动，" * 40 + "</p>"
        Article.objects.bulk_create(
            (
                Article(
                    column=columns[n % len(columns)],
                    title=f"平湖市科协{columns[n % len(columns)].name}第{n}篇",
                    summary="一两句话的摘要，列表和首页显示。",
                    body=body,
                    cover=pictures[n % len(pictures)],
                    is_pinned=columns[n % len(columns)].allows_pinning and n % 50 == 1,
                    status=Article.Status.PUBLISHED,
                    publish_at=now - timedelta(hours=n + 1),
                )
                for n in range(missing)
            ),
            batch_size=500,
        )
    return Article.objects.public().order_by("-publish_at").values_list("pk", flat=True).first()


_IMG = re.compile(r'<img [^>]*src="([^"]+)"')


def image_bytes(base: str, path: str) -> dict:
    """The pictures a page loads (each address once) and their bytes, fetched."""
    with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
        sources = sorted(set(_IMG.findall(response.read().decode())))
    total = 0
    for source in sources:
        with urllib.request.urlopen(base + source, timeout=30) as response:  # noqa: S310
            total += len(response.read())
    return {"images": len(sources), "bytes": total}


def open_event_id() -> int:
    """An event open for sign-up, with sign-ups: its page carries the form."""
    from django.utils import timezone

    from outreach.models import Event

    return (
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gt=timezone.now() + timedelta(days=2),
            registrations__isnull=False,
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)
        .first()
    )


def _fk(through, model) -> str:
    return next(f.attname for f in through._meta.fields if f.related_model is model)


def start_gunicorn(env: dict, *, port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "kexie.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def cache_header(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.headers.get("X-Page-Cache", "-")


def has_search(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/search/?q=x", timeout=10) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def run(env: dict, urls: dict, *, args, label: str, check_path: str | None = None) -> dict:
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = start_gunicorn(env, port=args.port, workers=args.workers)
    results = {}
    try:
        outreach_pages.wait_until_up(base)
        pages = dict(urls)
        if has_search(base):
            pages["search /search/?q=机器人"] = "/search/?q=" + urllib.parse.quote("机器人")
        bare_path = urls["bare Django view (reference)"]
        for name, path in pages.items():
            # The bare view is measured again just before each page: on a shared
            # machine the load drifts, and the ratio compares like with like.
            bare = outreach_pages.measure_wrk(
                base + bare_path, duration=max(args.duration // 2, 2), connections=args.connections
            )
            outreach_pages.measure_wrk(base + path, duration=2, connections=args.connections)
            result = outreach_pages.measure_wrk(
                base + path, duration=args.duration, connections=args.connections
            )
            result["bare_rps"] = result["rps"] if path == bare_path else bare["rps"]
            result["cache"] = cache_header(base + path)
            results[name] = result
            print(f"  [{label}] {name}: {result['rps']:.0f} req/s ({result['cache']})", flush=True)
        if check_path:
            results["check"] = check_sign_up_shows_at_once(base, check_path)
            results["images"] = {
                path: image_bytes(base, path)
                for path in ("/", "/news/", "/news/science/", "/events/", "/venues/")
            }
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=10)
    return results


_SEATS = re.compile(r'fs-4 fw-bold text-success">(\d+)<|(名额已满)')
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _seats(body: str) -> int:
    match = _SEATS.search(body)
    return 0 if match.group(2) else int(match.group(1))


def _fetch(url: str, *, data: bytes | None = None, cookie: str = ""):
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=10) as response:
        return response.status, response.headers, response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_sign_up_shows_at_once(base: str, path: str, *, reads: int = 40) -> dict:
    """Sign up through one worker, then read the event page through both: every
    read must show one seat fewer (or the same full page when already full)."""
    for _ in range(4):  # warm both workers' copies
        _fetch(base + path)
    status, headers, body = _fetch(base + path)
    before = _seats(body)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": _TOKEN.search(body).group(1),
            "name": "基准报名",
            "phone": f"13{random.randrange(10**9):09d}",
            "party_size": 1,
        }
    ).encode()
    try:
        _fetch(base + path, data=form, cookie=cookie)
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise
    expected = max(before - 1, 0)
    seen = [_seats(_fetch(base + path)[2]) for _ in range(reads)]
    stale = sum(1 for value in seen if value != expected)
    return {"before": before, "expected": expected, "reads": reads, "stale": stale}


def table(cached: dict, uncached: dict) -> str:
    lines = [
        "| page | cached req/s | bare req/s just before | ratio | p50 ms | p99 ms "
        "| uncached req/s | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in cached.items():
        other = uncached.get(name)
        tail = f"{other['rps']:.0f} | {other['rps'] / other['bare_rps']:.2f}" if other else "– | –"
        errors = f" ({result['non_2xx']} non-2xx)" if result["non_2xx"] else ""
        lines.append(
            f"| {name}{errors} | {result['rps']:.0f} | {result['bare_rps']:.0f} | "
            f"{result['rps'] / result['bare_rps']:.2f} | "
            f"{result['p50_ms']:.1f} | {result['p99_ms']:.1f} | {tail} |"
        )
    return "\n".join(lines)


def server_environment(db: str, redis: str) -> dict:
    """The settings the benchmarks' gunicorn runs with (also bench/signed_in_pages.py)."""
    return {
        **outreach_pages.environment(db),
        "REDIS_URL": redis,
        # Pictures of the articles: their renditions are served by the portal.
        "MEDIA_ROOT": str(BENCH / "results" / "media"),
        "PRIVATE_MEDIA_ROOT": str(BENCH / "results" / "private-media"),
    }


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    env = server_environment(args.db, args.redis)
    os.environ.update(env)
    outreach_pages.create_database(args.db)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    ids = outreach_pages.fill(events=args.events, registrations=args.registrations)
    fill_needs(count=args.needs)
    ids["detail_id"] = open_event_id()
    ids["article_id"] = fill_articles(count=args.articles)
    from django.core.cache import cache

    cache.clear()  # db 5 belongs to this benchmark
    q = urllib.parse.quote("讲座")
    urls = {
        "bare Django view (reference)": "/bench/bare/",
        "home /": "/",
        "event list /events/": "/events/",
        "filtered list (text + kind + town)": f"/events/?q={q}&kind=lecture&town={ids['town_id']}",
        "event page /events/<id>/": f"/events/{ids['detail_id']}/",
        "科协帮 board /bang/": "/bang/",
        "article list /news/": "/news/",
        "article /news/<id>/": f"/news/{ids['article_id']}/",
    }
    print(f"data: {ids['events']} events, {ids['registrations']} sign-ups")
    load_before = os.getloadavg()
    cached = run(
        {**env, "PAGE_CACHE_SECONDS": "60"},
        urls,
        args=args,
        label="cached",
        check_path=urls["event page /events/<id>/"],
    )
    check = cached.pop("check")
    images = cached.pop("images")
    uncached = (
        {}
        if args.no_uncached
        else run({**env, "PAGE_CACHE_SECONDS": "0"}, urls, args=args, label="uncached")
    )
    load = (load_before[0], os.getloadavg()[0])
    # The machine may be shared: the load says how far absolute figures mean anything.
    print(
        f"\ngunicorn {args.workers} sync workers, wrk -t2 -c{args.connections}, "
        f"{args.duration} s per URL, PostgreSQL, Redis cache, DEBUG off, anonymous visitor, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} before and {load[1]:.1f} after\n"
    )
    print(table(cached, uncached))
    print(
        f"\nA sign-up posted to one worker, then {check['reads']} reads of the event page "
        f"through both: seats left {check['before']} → {check['expected']}, "
        f"stale reads: {check['stale']}"
    )
    heaviest = max(images, key=lambda path: images[path]["bytes"])
    print(
        "\nPictures a list page loads (thumbnails only): "
        + ", ".join(
            f"{path} {found['images']} images, {found['bytes'] / 1024:.0f} KiB"
            for path, found in images.items()
        )
        + f"; heaviest {heaviest}"
    )
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"pages-{stamp}.json").write_text(
        json.dumps(
            {
                "data": ids,
                "args": vars(args),
                "load": load,
                "sign_up_check": check,
                "images": images,
                "cached": cached,
                "uncached": uncached,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
