from django.apps import apps
from django.core.management.base import BaseCommand

from core.markdown import render_all_stored, rendered_fields


class Command(BaseCommand):
    help = (
        "Render every stored Markdown text into its HTML again (after the Markdown or sanitising rules "
        "change, or a write that skipped save()). Only rows whose HTML changes are written."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            if rendered_fields(model):
                changed = render_all_stored(model)
                self.stdout.write(f"{model._meta.label}: {changed} rendered again")
