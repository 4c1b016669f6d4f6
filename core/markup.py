"""Small pieces of markup shared by the parts of pages written in Python (the list cards)."""

from django.utils.html import conditional_escape


def tag_list(label, names):
    """A card's tags, as the templates write them: `<ul class="tags" aria-label="label"><li>name</li>…</ul>`,
    or "" when there are none. Every value is escaped."""
    if not names:
        return ""
    items = "".join(f"<li>{conditional_escape(name)}</li>" for name in names)
    return f'<ul class="tags" aria-label="{conditional_escape(label)}">{items}</ul>'
