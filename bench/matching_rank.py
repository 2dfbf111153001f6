"""Benchmark of the matching engine: ranking one need against 10,000 experts.

Fills a separate database with experts (bulk_create; skipped when already
filled), their fields, keywords from the plain-language vocabulary and
biographies in technical terms, then ranks 20 needs written in plain language
through ``recommend_experts`` (the same call as the need page), several times
each, with the index already built: p50 and p99 of one ranking, the time to
build the index, and the queries per ranking.

    .venv/bin/python bench/matching_rank.py
    .venv/bin/python bench/matching_rank.py --db sqlite:////tmp/kexie_bench_matching.sqlite3
    .venv/bin/python bench/matching_rank.py --experts 10000 --needs 20 --repeat 10

Results are printed and written to bench/results/.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import outreach_pages  # the shared create_database; run from bench/, which is on sys.path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kexie_bench_matching"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL (PostgreSQL or SQLite)")
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--needs", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10, help="rankings per need")
    parser.add_argument(
        "--no-semantic",
        action="store_true",
        help="without the semantic bridge (EXPERTS_MATCH_SEMANTIC=0)",
    )
    parser.add_argument(
        "--encode-needs",
        action="store_true",
        help="every ranking encodes its need (its vector neither in memory nor in the cache),"
        " as the first ranking of a new need does",
    )
    return parser.parse_args()


def configure(db_url: str, *, semantic: bool = True) -> None:
    os.environ.update(
        {
            "EXPERTS_MATCH_SEMANTIC": "1" if semantic else "0",
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "kexie.settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))


def fill(*, experts: int, needs: int) -> list[int]:
    """Bulk-create the rows (once); returns the ids of the needs to rank."""
    from django.core.management import call_command

    from experts.matching.evaluation import (
        EVAL_PATH,
        VOCABULARY_PATH,
        load_json,
        vocabulary_install,
    )
    from experts.models import Discipline, Enterprise, Expert, Keyword, TechNeed
    from experts.models.matching import index_invalidate
    from kexie.platform.lib.validators import credit_code_check_char

    call_command("migrate", verbosity=0)
    rng = random.Random(20261129)
    data = load_json(EVAL_PATH)
    vocabulary_install(load_json(VOCABULARY_PATH)["vocabulary"])
    have = Expert.objects.count()
    if have < experts:
        keywords = list(Keyword.objects.order_by("pk"))
        disciplines = list(Discipline.objects.filter(code__gte="410", code__lt="700"))
        by_name = {k.name: k for k in keywords}
        fragments = [row["biography"] for row in data["experts"]]
        regions = [choice for choice, _label in Expert.Region.choices]
        rows = []
        for n in range(have, experts):
            model = data["experts"][n % len(data["experts"])]
            roll = rng.random()
            rows.append(
                Expert(
                    name=f"专家{n:05d}",
                    title=Expert.Title.PROFESSOR,
                    organisation=model["organisation"],
                    region=rng.choice(regions),
                    biography=" ".join(rng.sample(fragments, 2)),
                    availability=Expert.Availability.BUSY
                    if roll < 0.1
                    else Expert.Availability.UNAVAILABLE
                    if roll < 0.15
                    else Expert.Availability.AVAILABLE,
                    is_public=rng.random() > 0.03,
                )
            )
        created = Expert.objects.bulk_create(rows, batch_size=1000)
        codes = {d.code: d for d in disciplines}
        field_rows, keyword_rows = [], []
        for n, expert in enumerate(created, start=have):
            model = data["experts"][n % len(data["experts"])]
            chosen = {codes[c].pk for c in model["fields"] if c in codes}
            chosen.add(rng.choice(disciplines).pk)
            field_rows += [
                Expert.fields.through(expert_id=expert.pk, discipline_id=pk) for pk in chosen
            ]
            names = set(model["keywords"]) | {rng.choice(keywords).name}
            keyword_rows += [
                Expert.keywords.through(expert_id=expert.pk, keyword_id=by_name[name].pk)
                for name in names
            ]
        Expert.fields.through.objects.bulk_create(field_rows, batch_size=2000)
        Expert.keywords.through.objects.bulk_create(keyword_rows, batch_size=2000)
    index_invalidate()  # bulk writes send no signals

    body = "91330482" + "000099999"
    enterprise, _created = Enterprise.objects.get_or_create(
        name="平湖基准测试企业有限公司",
        defaults={"credit_code": body + credit_code_check_char(body), "industry": "machinery"},
    )
    existing = list(
        TechNeed.objects.filter(enterprise=enterprise).order_by("pk").values_list("pk", flat=True)
    )
    if len(existing) >= needs:
        return existing[:needs]
    picked = rng.sample(data["needs"], needs - len(existing))
    for row in picked:
        need = TechNeed.objects.create(
            enterprise=enterprise,
            title=row["text"][:30],
            summary=row["text"],
            kind=TechNeed.Kind.choices[0][0],
        )
        need.fields.set(Discipline.objects.filter(code__in=row["fields"]))
        existing.append(need.pk)
    return existing


def measure(need_ids: list[int], *, repeat: int, encode_needs: bool = False) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from experts.matching import need_query_text, recommend_experts, semantic
    from experts.matching.index import current_index, forget_index
    from experts.models import TechNeed

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    forget_index()
    started = time.perf_counter()
    index = current_index()
    first_build_seconds = time.perf_counter() - started
    # Again, as every process does after a change: the stored vectors are read, not encoded.
    forget_index()
    started = time.perf_counter()
    index = current_index()
    build_seconds = time.perf_counter() - started
    needs = list(TechNeed.objects.filter(pk__in=need_ids).order_by("pk"))
    timings, cpu, queries, found = [], [], [], []
    for need in needs:
        recommend_experts(need, limit=10)  # warm this need's query path
        for _ in range(repeat):
            # No vector kept in this process from the last ranking: read from the cache
            # (where the first ranking of the need put it), or, with --encode-needs, encoded.
            semantic.forget_text_vectors()
            if encode_needs:
                cache.delete(semantic.text_vector_key(need_query_text(need)))
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                ranking = recommend_experts(need, limit=10)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            queries.append(len(captured))
        found.append(len(ranking))
    timings.sort()
    cpu.sort()
    return {
        "semantic": semantic.encoder().model_id if semantic.enabled() else False,
        "needs_encoded_each_ranking": encode_needs,
        "experts_indexed": len(index),
        "first_index_build_s": round(first_build_seconds, 2),
        "index_build_s": round(build_seconds, 2),
        "max_rss_mb_before_index": round(rss_before, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "needs": len(needs),
        "rankings": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
        "max_ms": round(timings[-1], 2),
        # CPU time of this process: what the ranking costs when the machine is not shared.
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p99_ms": round(cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))], 2),
        "queries_per_ranking": max(queries),
        "results_per_need_min": min(found),
    }


def main():
    args = parse_args()
    configure(args.db, semantic=not args.no_semantic)
    outreach_pages.create_database(args.db)
    import django

    django.setup()
    need_ids = fill(experts=args.experts, needs=args.needs)
    result = measure(need_ids, repeat=args.repeat, encode_needs=args.encode_needs)
    from django.db import connection

    result.update(
        {
            "database": connection.vendor,
            "experts_in_db": args.experts,
            "python": sys.version.split()[0],
            "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    out = BENCH / "results" / f"matching_rank-{result['at'].replace('-', '').replace(':', '')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
