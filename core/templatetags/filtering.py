"""Helpers for the filter forms of list pages (templates/includes/filter_form.html)."""

from django import template

register = template.Library()

# Fields that order or page a list rather than narrow it.
NOT_FILTERS = frozenset({"sort", "page"})


@register.filter
def active_filters(form) -> int:
    """How many of `form`'s fields narrow the list: those the request gave a non-empty value."""
    data = getattr(form, "data", None) or {}
    getlist = getattr(data, "getlist", lambda name: [data.get(name)])
    return sum(
        1
        for name in form.fields
        if name not in NOT_FILTERS and any(str(value).strip() for value in getlist(name) if value is not None)
    )
