from django.core.management.base import BaseCommand, CommandError

from kexie.portal.search import services
from kexie.portal.search.indexers import INDEXERS


class Command(BaseCommand):
    help = "Rebuild the site search index from the public records, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=sorted(INDEXERS), dest="kinds")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, kinds=None, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        counts = services.index_rebuild(kinds=kinds, batch_size=batch_size)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
