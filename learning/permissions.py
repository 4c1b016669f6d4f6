"""Which groups can be asked a question: views, selectors and templates ask these, never the fields.

A historical example (a real organisation described from public sources, `example_source` set) is
not a user of the site: nobody there could answer, so it is labelled and never offered or accepted.
"""

from django.utils.translation import gettext as _


def is_historical_example(group) -> bool:
    return bool(group.example_source)


def why_not_askable(group):
    """A sentence saying why `group` cannot be asked a question, or None when it can."""
    if is_historical_example(group):
        return _(
            "%(group)s is a historical example from public sources, not a user of Localism: "
            "nobody there can answer a question. Their page and lessons are there to learn from."
        ) % {"group": group.name}
    return None
