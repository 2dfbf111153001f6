"""Encode the vocabulary's words for the matching's adapter and fit it once."""

import resource
import time

from django.core.management.base import BaseCommand

from experts.matching import adapter, semantic
from experts.matching.index import _vocabulary, build_index, forget_index


class Command(BaseCommand):
    help = (
        "Encode the vocabulary's words (kept in the cache) so that each index build fits "
        "the discipline classifier's adapter; then build the index once and report it."
    )

    def handle(self, *args, **options):
        if not adapter.enabled():
            self.stdout.write("the adapter is off (EXPERTS_MATCH_ADAPTER or no semantic bridge)")
            return
        started = time.process_time()
        encoded = adapter.prepare_term_vectors(_vocabulary())
        self.stdout.write(
            f"{encoded} words encoded ({time.process_time() - started:.1f} s of CPU)"
            if encoded
            else "the words' vectors were already in the cache"
        )
        started = time.process_time()
        forget_index()
        index = build_index()
        fitted = index.adapter
        if fitted is None:
            self.stdout.write(f"no adapter ({len(index)} experts: too few words or disciplines)")
        else:
            self.stdout.write(
                f"adapter fitted on {fitted.pairs} everyday words, {fitted.nbytes // 1024} kB, "
                f"index built in {time.process_time() - started:.1f} s of CPU, "
                f"{len(index)} experts, models {semantic.encoder().model_id}"
            )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(f"max RSS {rss} MB")
