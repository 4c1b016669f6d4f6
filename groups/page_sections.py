"""Parts of a group's page that the apps above groups provide (challenges shows the group's solutions).

groups imports no app above it, so its page names none of their templates or template tags. An app with
something to show there registers a template here from its `AppConfig.ready()`; the page includes each
in order with the page's own context (`group`, `can_manage`, ...), and shows nothing for an app that is
not installed.
"""

_sections: dict[str, int] = {}


def register_group_page_section(template_name: str, *, order: int) -> None:
    """Include `template_name` in every group's page; sections with a lower `order` come first.
    Registering the same template again only changes its order."""
    _sections[template_name] = order


def group_page_sections() -> list[str]:
    """The registered templates, in the order they appear on the page."""
    return sorted(_sections, key=lambda name: (_sections[name], name))
