from operator import attrgetter

import core.markdown
from django.db import migrations

SOLUTION_TEXTS = ["problem", "approach", "why_here", "who_involved", "resources_needed"]
UPDATE_TEXTS = ["body", "what_worked", "what_didnt", "do_differently"]


def render(apps, schema_editor):
    """Render what every solution and update says, as saving them would have."""
    for model_name, texts in (("Solution", SOLUTION_TEXTS), ("Update", UPDATE_TEXTS)):
        model = apps.get_model("challenges", model_name)
        core.markdown.render_stored(
            model.objects.only(*texts, *(f"{text}_html" for text in texts)),
            {f"{text}_html": attrgetter(text) for text in texts},
        )


class Migration(migrations.Migration):
    # Rendering every text takes minutes at 100,000 groups, so each batch commits on its own
    # (core.markdown.render_stored) rather than one transaction holding every row locked until the end.
    # After a failure part-way, running it again renders what is left.
    atomic = False

    dependencies = [
        ("challenges", "0014_rendered_markdown"),
    ]

    operations = [
        migrations.RunPython(render, migrations.RunPython.noop, elidable=True),
    ]
