"""Precision of the matching engine on the labelled set, and its online figures."""

import json

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from experts.matching.evaluation import EVAL_PATH, VOCABULARY_PATH, evaluate, load_json
from experts.matching.outcomes import online_figures, recommendation_events_sync
from experts.matching.weights import DEFAULT_WEIGHTS, match_weights


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


class Command(BaseCommand):
    help = (
        "Report precision@5 and nDCG@10 on a labelled set (split by its needs' flags), the busy"
        " experts' share of the top 5, and the online figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(EVAL_PATH), help="labelled set (JSON)")
        parser.add_argument("--vocabulary", default=str(VOCABULARY_PATH), help="vocabulary (JSON)")
        parser.add_argument(
            "--without-synonyms",
            action="store_true",
            help="leave the vocabulary's synonyms out (how much the concept layer adds)",
        )
        parser.add_argument("--weights", help="weights to try, JSON, e.g. '{\"region\": 0}'")
        parser.add_argument("--misses", action="store_true", help="list needs below 0.6")
        parser.add_argument(
            "--analyse",
            type=int,
            metavar="DEPTH",
            help="rank DEPTH deep and report where the relevant experts rank and which"
            " signal put wrong experts ahead (with --misses, per need)",
        )
        parser.add_argument(
            "--allow-held-out",
            action="store_true",
            help="allow --misses and --analyse on a set marked held_out (reading its"
            " misses makes it a tuning set)",
        )
        parser.add_argument("--offline-only", action="store_true")

    def handle(self, *args, **options):
        weights = match_weights()
        if options["weights"]:
            try:
                overrides = json.loads(options["weights"])
            except ValueError as error:
                raise CommandError(f"--weights must be JSON: {error}") from None
            unknown = set(overrides) - set(DEFAULT_WEIGHTS)
            if unknown:
                raise CommandError(f"unknown signals: {', '.join(sorted(unknown))}")
            weights.update({name: float(value) for name, value in overrides.items()})
        try:
            data = load_json(options["data"])
            vocabulary = load_json(options["vocabulary"]).get("vocabulary", [])
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the labelled set: {error}") from None
        except ImproperlyConfigured as error:  # pragma: no cover - settings are checked at start
            raise CommandError(str(error)) from None

        looks_inside = options["misses"] or options["analyse"]
        if looks_inside and data.get("held_out") and not options["allow_held_out"]:
            raise CommandError(
                "this set is held out: its figures only (--misses and --analyse read its"
                " failures; --allow-held-out once the tuning is over)"
            )
        depth = max(10, options["analyse"] or 10)
        result = evaluate(
            data,
            vocabulary,
            with_synonyms=not options["without_synonyms"],
            weights=weights,
            depth=depth,
        )
        out = self.stdout
        out.write(
            f"labelled needs: {len(result.needs)}, experts in the pool: {len(data['experts'])}"
        )
        out.write(
            f"precision@5: {result.precision_at_5:.3f}"
            f" (ceiling {result.precision_ceiling:.3f}: relevant experts per need;"
            f" {_percent(result.precision_of_ceiling)} of the ceiling)"
        )
        out.write(f"nDCG@10: {result.ndcg_at_10:.3f}")
        out.write(
            f"busy experts: {_percent(result.busy_top5_share)} of the top-5 slots,"
            f" {_percent(result.busy_pool_share)} of the pool"
        )
        splits = result.splits()
        if len(splits) > 1:
            out.write(
                f"{'split':<28}{'needs':>6}{'precision@5':>13}{'ceiling':>9}"
                f"{'p@5/ceiling':>12}{'nDCG@10':>9}"
            )
            for label, part in splits:
                out.write(
                    f"{label:<28}{len(part.needs):>6}{part.precision_at_5:>13.3f}"
                    f"{part.precision_ceiling:>9.3f}{part.precision_of_ceiling:>12.3f}"
                    f"{part.ndcg_at_10:>9.3f}"
                )
        if options["analyse"]:
            self._analysis(result, depth, per_need=options["misses"])
            return
        if options["misses"] and not options["analyse"]:
            for need in result.needs:
                if need.precision_at_5 < 0.6:
                    out.write(
                        f"  {need.precision_at_5:.1f}  {need.text}  → {' '.join(need.ranked[:5])}"
                    )
        if options["offline_only"]:
            return
        self._online()

    def _analysis(self, result, depth: int, *, per_need: bool) -> None:
        from experts.matching.analysis import RANK_BUCKETS, analyse

        analyses, summary = analyse(result, result.index, depth)
        out = self.stdout
        out.write(f"first relevant expert at rank (of {summary.needs} needs):")
        labels = [label for _limit, label in RANK_BUCKETS]
        labels += [f"31-{depth}", f"not within {depth}", "no candidate"]
        out.write("  " + ", ".join(f"{label}: {summary.where.get(label, 0)}" for label in labels))
        out.write(
            f"needs below their ceiling: {summary.missed}; wrong top-5 experts put ahead of a"
            " relevant one, by the signal they gained most on:"
        )
        out.write("  " + ", ".join(f"{name}: {n}" for name, n in summary.blame.most_common()))
        out.write(f"  field on needs whose chosen field is wrong: {summary.wrong_field_blame}")
        if summary.entries:
            out.write(
                "  entries behind keyword blame: "
                + ", ".join(f"{name} {n}" for name, n in summary.entries.most_common(15))
            )
        if not per_need:
            return
        for analysis in analyses:
            if not analysis.missed:
                continue
            ranks = " ".join(
                f"{key}@{'-' if rank is None else rank}" for key, rank in analysis.ranks.items()
            )
            blame = " ".join(f"{name}×{n}" for name, n in analysis.blame.most_common())
            flags = "".join(
                mark
                for flag, mark in (("has_technical_words", "T"), ("field_is_wrong", "W"))
                if analysis.flags.get(flag)
            )
            out.write(
                f"  {analysis.precision_at_5:.1f}/{analysis.ceiling:.1f} {flags:<2}"
                f" {analysis.key} {analysis.text[:40]} | {ranks} | {blame}"
            )

    def _online(self) -> None:
        out = self.stdout
        added = recommendation_events_sync()
        figures = online_figures()
        out.write(f"online (events recorded now: {added}):")
        out.write(
            f"  invitation acceptance rate: {_percent(figures.invitation_acceptance_rate)}"
            f" of {figures.invitations} invitations"
        )
        hours = figures.median_hours_to_first_response
        out.write(
            "  time to first response (median): "
            + ("—" if hours is None else f"{hours:.1f} h")
            + f" over {figures.needs_with_response} needs"
        )
        out.write(
            "  needs with an accepted expert within 7 days: "
            f"{_percent(figures.accepted_within_7_days_share)} of {figures.needs_published}"
        )
        out.write(
            f"  top-5 slots taken by busy experts: {_percent(figures.top5_busy_share)}"
            f" of {figures.top5_slots}"
        )
