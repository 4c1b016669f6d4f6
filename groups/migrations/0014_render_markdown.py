from operator import attrgetter

import core.markdown
from django.db import migrations


def render(apps, schema_editor):
    """Render what every group and action wrote, as saving them would have."""
    Group = apps.get_model("groups", "Group")
    Action = apps.get_model("groups", "Action")
    core.markdown.render_stored(
        Group.objects.only("description", "summary", "about_html"),
        {"about_html": lambda group: core.markdown.without_repeated_lead(group.description, group.summary)},
    )
    core.markdown.render_stored(
        Action.objects.only("description", "description_html"), {"description_html": attrgetter("description")}
    )


class Migration(migrations.Migration):
    # Rendering every text takes minutes at 100,000 groups, so each batch commits on its own
    # (core.markdown.render_stored) rather than one transaction holding every row locked until the end.
    # After a failure part-way, running it again renders what is left.
    atomic = False

    dependencies = [
        ("groups", "0013_rendered_markdown"),
    ]

    operations = [
        migrations.RunPython(render, migrations.RunPython.noop, elidable=True),
    ]
