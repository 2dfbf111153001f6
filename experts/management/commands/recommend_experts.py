"""Print the ranking of one need with each signal's part of the score."""

from django.core.management.base import BaseCommand, CommandError

from experts.matching import recommend_experts
from experts.matching.reasons import reason_text
from experts.matching.weights import SIGNALS
from experts.models import TechNeed


class Command(BaseCommand):
    help = "Rank the experts for a need and show each signal's part of the score."

    def add_arguments(self, parser):
        parser.add_argument("need_id", type=int)
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, need_id, limit, **options):
        need = TechNeed.objects.filter(pk=need_id).first()
        if need is None:
            raise CommandError(f"no need with id {need_id}")
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        ranking = recommend_experts(need, limit=limit)
        self.stdout.write(f"#{need.pk} {need.title} [{need.get_status_display()}]")
        if not ranking:
            self.stdout.write("no expert recommended")
            return
        self.stdout.write(
            "rank  expert (id)                 score  " + "  ".join(f"{s:>8}" for s in SIGNALS)
        )
        for rank, rec in enumerate(ranking, start=1):
            parts = "  ".join(f"{rec.signals.get(s, 0.0):8.2f}" for s in SIGNALS)
            label = f"{rec.expert.name} ({rec.expert.pk})"
            self.stdout.write(f"{rank:>4}  {label:<24}  {rec.score:6.2f}  {parts}")
            self.stdout.write(f"      {'；'.join(reason_text(r) for r in rec.reasons)}")
