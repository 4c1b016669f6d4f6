from django.core.management.base import BaseCommand

from demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data set (safe to run again: nothing is duplicated)."

    def handle(self, *args, **options):
        counts = seed_demo()
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(f"Demo accounts (password “{DEMO_PASSWORD}”):")
        for email, name, _, role in DEMO_USERS:
            self.stdout.write(f"  {email:32} {name}{f' ({role})' if role else ''}")
