import time

from django.core.management.base import BaseCommand, CommandError

from demo.funders import seed_entries


class Command(BaseCommand):
    help = "Bulk-enter synthetic groups' solutions (from seed_scale) into a benchmark challenge, with scores."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, required=True, help="how many entries the challenge should have")
        parser.add_argument("--seed", type=int, default=2008, help="random seed (same seed, same data)")

    def handle(self, *args, entries, seed, **options):
        if entries < 0 or entries > 1_000_000:
            raise CommandError("--entries must be between 0 and 1,000,000.")
        started = time.monotonic()
        try:
            created = seed_entries(entries=entries, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {created} entries in {time.monotonic() - started:.1f} s."))
