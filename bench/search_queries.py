"""Benchmark of site search on PostgreSQL.

Fills a separate database with 100,000 search documents of realistic Chinese
titles and bodies (bulk insert, skipped when already filled), then times the
search selector for ten typical queries, very common words among them (技术,
电池: thousands of matches; only the newest 500 are counted and ranked):
the overview page (counts per kind, best five per kind) and one kind's first page.

    .venv/bin/python bench/search_queries.py
    .venv/bin/python bench/search_queries.py --runs 50 \
        --db postgres://postgres@127.0.0.1:5432/kexie_bench_search
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kexie_bench_search"
TOTAL = 100_000
QUERIES = [
    "电池",
    "技术",
    "航天",
    "科普",
    "数字化",
    "3D打印",
    "5G",
    "老年人",
    "储能电站",
    "人工智能 医疗",
]

TOPICS = [
    "磷酸铁锂电池",
    "储能电站",
    "航天科普",
    "人工智能",
    "数字化转型",
    "智能制造",
    "3D打印",
    "5G基站",
    "光伏组件",
    "新能源汽车",
    "西瓜种植",
    "设施农业",
    "高血压防治",
    "垃圾分类",
    "安全生产",
    "机器人编程",
    "光学镀膜",
    "集成电路",
    "海洋生态",
    "无人机植保",
    "天文观测",
    "食品检测",
    "纺织印染",
    "化工安全",
]
FORMS = ["科普讲座", "周末课堂", "技术攻关", "对接会", "成果转化", "研学活动", "专题展览", "培训班"]
PLACES = ["当湖街道", "钟埭街道", "曹桥街道", "乍浦镇", "新埭镇", "新仓镇", "广陈镇", "林埭镇"]
SENTENCES = [
    "面向{who}介绍{topic}的基本原理和最新进展。",
    "企业希望解决{topic}中的关键技术问题，提升产品质量。",
    "专家团队在{place}开展{topic}相关的技术服务。",
    "活动设有互动体验环节，{who}可以动手参与。",
    "成果已完成中试，可通过许可使用或合作开发方式转化。",
    "结合本地产业特点，推动{topic}技术落地应用。",
]
WHO = ["青少年", "老年人", "农民", "产业工人", "社会公众", "中小学生"]
KINDS = ["event", "venue", "society", "branch", "expert", "need", "achievement"]


def _setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    import django

    django.setup()


def _fill(total: int) -> None:
    from django.core.management import call_command

    from kexie.portal.search import services
    from kexie.portal.search.indexers import DocumentData
    from kexie.portal.search.models import SearchDocument

    call_command("migrate", verbosity=0)
    if SearchDocument.objects.count() >= total:
        return
    SearchDocument.objects.all().delete()
    rng = random.Random(7)
    started = time.perf_counter()
    batch = 2000
    for start in range(0, total, batch):
        per_kind: dict[str, list] = {}
        for n in range(start, min(start + batch, total)):
            topic, place, who = rng.choice(TOPICS), rng.choice(PLACES), rng.choice(WHO)
            title = f"{place}{topic}{rng.choice(FORMS)}"
            body = "".join(
                s.format(topic=rng.choice(TOPICS) if i else topic, place=place, who=who)
                for i, s in enumerate(rng.sample(SENTENCES, 3))
            )
            kind = KINDS[n % len(KINDS)]
            per_kind.setdefault(kind, []).append(
                (n + 1, DocumentData(title=title, body=body, url=f"/{kind}/{n + 1}/"))
            )
        for kind, items in per_kind.items():
            services.documents_write(kind=kind, items=items)
    print(f"filled {total} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    _setup(args.db)
    from django.db import connection

    from kexie.portal.search import selectors
    from kexie.portal.search.models import SearchDocument

    _fill(TOTAL)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
    print(f"{SearchDocument.objects.count()} documents; {args.runs} runs per query\n")
    print("| query | matches | overview p50 | overview p99 | one kind p50 | one kind p99 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    everything: list[float] = []
    for query in QUERIES:
        selectors.search(query=query)  # warm up
        overview, one_kind = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            found = selectors.search(query=query)
            [h for g in found.groups for h in g.hits]
            overview.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            page = selectors.search(query=query, kind="need", page=2).page
            list(page.object_list) if page else None
            one_kind.append((time.perf_counter() - started) * 1000)
        everything += overview + one_kind
        print(
            f"| {query} | {found.total_label} | {statistics.median(overview):.1f} ms "
            f"| {_percentile(overview, 0.99):.1f} ms | {statistics.median(one_kind):.1f} ms "
            f"| {_percentile(one_kind, 0.99):.1f} ms |"
        )
    print(
        f"\nall queries: p50 {statistics.median(everything):.1f} ms, "
        f"p99 {_percentile(everything, 0.99):.1f} ms"
    )


if __name__ == "__main__":
    main()
