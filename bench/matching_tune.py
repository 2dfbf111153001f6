"""Try settings of the matching engine on labelled sets, each set loaded once.

Each configuration is a JSON object: ``weights`` (as ``EXPERTS_MATCH_WEIGHTS``) and
module constants to override (``engine``, ``disciplines``, ``index`` — e.g.
``{"engine": {"CHOSEN_FLOOR": 0.1}}``). Prints precision@5, its share of the
ceiling and nDCG@10 per split for every configuration.

    .venv/bin/python bench/matching_tune.py --data experts/data/matching_eval_tune.json \\
        --config '{"name": "no field", "weights": {"field": 0}}'

Only for the sets one may tune on: not the held-out set (refused unless
--allow-held-out, for a final figure).
"""

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
os.environ.setdefault("DEBUG", "1")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", required=True)
    parser.add_argument("--vocabulary", default=str(ROOT / "experts/data/matching_vocabulary.json"))
    parser.add_argument("--without-synonyms", action="store_true")
    parser.add_argument("--config", action="append", default=[], help="JSON object")
    parser.add_argument("--configs", help="file of a JSON list of configurations")
    parser.add_argument("--allow-held-out", action="store_true")
    parser.add_argument(
        "--load", default="{}", help="constants while the pool is loaded (JSON, as a config)"
    )
    parser.add_argument(
        "--show", action="append", default=[], help="print the ranking of needs whose text has this"
    )
    return parser.parse_args()


@contextlib.contextmanager
def patched(config: dict):
    from experts.matching import disciplines, engine, index, semantic

    modules = {"engine": engine, "disciplines": disciplines, "index": index, "semantic": semantic}
    saved = []
    for name, module in modules.items():
        for constant, value in config.get(name, {}).items():
            if not hasattr(module, constant):
                raise SystemExit(f"{name} has no {constant}")
            saved.append((module, constant, getattr(module, constant)))
            setattr(module, constant, value)
    try:
        yield
    finally:
        for module, constant, value in reversed(saved):
            setattr(module, constant, value)


def show(pool, data, weights, patterns):
    from experts.matching.engine import rank
    from experts.matching.evaluation import grades_of, need_query

    experts = {row["key"]: row for row in data["experts"]}
    for need in data["needs"]:
        if not any(p in need["text"] or p == need.get("key") for p in patterns):
            continue
        grades = grades_of(need)
        query = need_query(pool, need)
        print(f"-- {need.get('key', '')} {need['text']} fields={need.get('fields')}")
        terms = sorted(query.terms.items(), key=lambda kv: -kv[1])
        print("   terms:", " ".join(f"{t}:{w:.2f}" for t, w in terms[:25]))
        print(
            "   entries:",
            {pool.index.vocabulary[pk].name: round(s, 2) for pk, s in query.entries.items()},
        )
        names = {pk: pool.index.field_names[pk][0] for pk in query.field_parts}
        print("   field parts:", {names[pk]: round(v, 2) for pk, v in query.field_parts.items()})
        ranking = rank(pool.index, query, limit=len(pool.index), weights=weights)
        positions = {pool.keys[rec.expert.pk]: i for i, rec in enumerate(ranking)}
        shown = set(range(8)) | {positions[k] for k in grades if k in positions}
        for i, rec in enumerate(ranking):
            if i not in shown:
                continue
            key = pool.keys[rec.expert.pk]
            row = experts[key]
            sig = " ".join(f"{n[:3]}{v:+.2f}" for n, v in rec.signals.items() if v)
            print(
                f"   {i + 1:>3} {'*' * grades.get(key, 0):<2} {key:<8} {row['fields']} "
                f"{','.join(row.get('keywords', []))[:30]} | {sig}"
            )
        missing = [k for k in grades if k not in positions]
        if missing:
            print("   not candidates:", missing)


def main():
    args = parse_args()
    import django

    django.setup()
    from experts.matching.evaluation import load_json, loaded_pool, rank_needs
    from experts.matching.weights import match_weights

    configs = [json.loads(c) for c in args.config]
    if args.configs:
        configs += json.loads(Path(args.configs).read_text())
    if not configs:
        configs = [{"name": "defaults"}]
    vocabulary = load_json(args.vocabulary).get("vocabulary", [])
    for path in args.data:
        data = load_json(path)
        if data.get("held_out") and not args.allow_held_out:
            raise SystemExit(f"{path} is held out")
        print(f"== {path} ({len(data['needs'])} needs)")
        with (
            patched(json.loads(args.load)),
            loaded_pool(data, vocabulary, with_synonyms=not args.without_synonyms) as pool,
        ):
            for config in configs:
                weights = {**match_weights(), **config.get("weights", {})}
                with patched(config):
                    result = rank_needs(pool, data["needs"], weights=weights)
                    if args.show:
                        show(pool, data, weights, args.show)
                cells = []
                for label, part in result.splits():
                    short = "".join(word[0] for word in label.split())
                    cells.append(
                        f"{short} {part.precision_at_5:.3f}/{part.precision_of_ceiling:.3f}"
                        f"/{part.ndcg_at_10:.3f}"
                    )
                print(
                    f"{config.get('name', json.dumps(config, ensure_ascii=False)):<28}"
                    + "  ".join(cells)
                    + f"  busy {100 * result.busy_top5_share:.1f}"
                    + f"/{100 * result.busy_pool_share:.1f}"
                )


if __name__ == "__main__":
    main()
