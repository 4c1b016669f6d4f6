import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.caching import forget_list_counts
from demo.scale import seed_scale


class Command(BaseCommand):
    help = "Bulk-create synthetic groups (with solutions, updates and readings) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=int, required=True, help="how many synthetic groups should exist")
        parser.add_argument("--seed", type=int, default=2007, help="random seed (same seed, same data)")

    def handle(self, *args, groups, seed, **options):
        if groups < 0 or groups > 1_000_000:
            raise CommandError("--groups must be between 0 and 1,000,000.")
        started = time.monotonic()
        created = seed_scale(groups=groups, seed=seed, stdout=self.stdout)
        if created and connection.vendor == "postgresql":
            # Planner statistics now, as autovacuum would later: without them a solution page spent 45 ms in a
            # sequential scan for hidden updates until autovacuum ran.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if created:
            # Bulk inserts send no model signals: retire the lists' kept counts here (core.caching).
            forget_list_counts()
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} synthetic groups in {time.monotonic() - started:.1f} s.")
        )
