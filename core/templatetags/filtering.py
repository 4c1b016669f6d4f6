"""Helpers for list pages: their filter forms (templates/includes/filter_form.html) and the count of what
they found (templates/includes/result_count.html)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext_lazy

from core.caching import cached_fragment
from core.pagination import filters_key

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_form_fields(context, form):
    """A list's filter form fields, as HTML. On the public lists (the view says `share_filter_form`) the
    HTML is the same for everyone asking for the same filters in the same language, so it is rendered
    once and shared (core.caching.cached_fragment): rendering it took about 4 ms of a list's 20. A form
    with errors is always rendered, as is any other list's (a funder's review list)."""
    if not context.get("share_filter_form") or form.errors:
        return form.render()
    return cached_fragment(filters_key(context["request"], "filter-form", ignore=("page",)), form.render)


# Fields that order or page a list rather than narrow it.
NOT_FILTERS = frozenset({"sort", "page"})

# How a list says how many it found, per kind of item (the `noun` its template names): the exact count, and
# the count past the cap (core.pagination). %(count)s is the number as shown, such as 1,000.
RESULT_COUNTS = {
    "group": (
        ngettext_lazy("%(count)s group", "%(count)s groups", "number"),
        ngettext_lazy("More than %(count)s group", "More than %(count)s groups", "number"),
    ),
    "solution": (
        ngettext_lazy("%(count)s solution", "%(count)s solutions", "number"),
        ngettext_lazy("More than %(count)s solution", "More than %(count)s solutions", "number"),
    ),
    "lesson": (
        ngettext_lazy("%(count)s lesson", "%(count)s lessons", "number"),
        ngettext_lazy("More than %(count)s lesson", "More than %(count)s lessons", "number"),
    ),
}


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


@register.simple_tag
def result_count(page, noun) -> str:
    """How many `noun`s the list of `page` holds: "214 groups", or "More than 1,000 groups" past the cap."""
    paginator = page.paginator
    capped = getattr(paginator, "count_capped", False)
    number = paginator.count_cap if capped else paginator.count
    shown = number_format(number, force_grouping=True)
    messages = RESULT_COUNTS.get(noun)
    if messages is None:  # a noun without its own wording: English, as the template gives it
        return f"More than {shown} {noun}s" if capped else f"{shown} {noun}{'' if number == 1 else 's'}"
    return messages[1 if capped else 0] % {"number": number, "count": shown}
