from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kexie.platform.privacy import registry
from kexie.platform.privacy.services import retention_run


class Command(BaseCommand):
    help = "Anonymise personal data past its retention period (settings PRIVACY_*)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would change, change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        results = retention_run(dry_run=dry_run)
        labels = {rule.name: str(rule.label) for rule in registry.rules()}
        for name, count in results.items():
            self.stdout.write(f"{labels.get(name, name)}: {count}")
        verb = _("将匿名化") if dry_run else _("已匿名化")
        self.stdout.write(f"{verb} {sum(results.values())}")
