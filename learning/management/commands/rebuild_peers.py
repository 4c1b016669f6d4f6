from django.core.management.base import BaseCommand

from learning.services import rebuild_all_peers


class Command(BaseCommand):
    help = "Recompute every group's context vector and top-15 peers (also run nightly by Celery beat)."

    def handle(self, *args, **options):
        result = rebuild_all_peers()
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result["seconds"].items())
        total = sum(result["seconds"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Matched {result['groups']} groups: {result['peers']} peers in {total:.1f} s ({phases})."
            )
        )
