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

        result = evaluate(
            data, vocabulary, with_synonyms=not options["without_synonyms"], weights=weights
        )
        out = self.stdout
        out.write(
            f"labelled needs: {len(result.needs)}, experts in the pool: {len(data['experts'])}"
        )
        out.write(
            f"precision@5: {result.precision_at_5:.3f}"
            f" (ceiling {result.precision_ceiling:.3f}: relevant experts per need)"
        )
        out.write(f"nDCG@10: {result.ndcg_at_10:.3f}")
        out.write(
            f"busy experts: {_percent(result.busy_top5_share)} of the top-5 slots,"
            f" {_percent(result.busy_pool_share)} of the pool"
        )
        splits = result.splits()
        if len(splits) > 1:
            out.write(f"{'split':<28}{'needs':>6}{'precision@5':>13}{'ceiling':>9}{'nDCG@10':>9}")
            for label, part in splits:
                out.write(
                    f"{label:<28}{len(part.needs):>6}{part.precision_at_5:>13.3f}"
                    f"{part.precision_ceiling:>9.3f}{part.ndcg_at_10:>9.3f}"
                )
        if options["misses"]:
            for need in result.needs:
                if need.precision_at_5 < 0.6:
                    out.write(
                        f"  {need.precision_at_5:.1f}  {need.text}  → {' '.join(need.ranked[:5])}"
                    )
        if options["offline_only"]:
            return
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
