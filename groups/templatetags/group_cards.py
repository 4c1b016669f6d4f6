"""The group list's cards, written in Python.

A page of the group list shows 20 cards; drawing each through templates/groups/_group_card.html (an include
with about 15 variable lookups, a loop and a translation) took about a tenth of the page's time.
`group_card` writes the same markup, character for character: tests/browse/test_group_card.py renders both
for every kind of group, in English and Welsh. The template stays as the reference: change both together.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.markup import tag_list

register = template.Library()


@register.simple_tag
def group_card(group):
    """`{% include "groups/_group_card.html" %}` inside the list's `{% for group in page %}`."""
    place = conditional_escape(group.place_name)
    if group.postcode_district:
        place = f"{place} ({conditional_escape(group.postcode_district)})"
    areas = tag_list(gettext("Challenges"), [area.shown_name for area in group.area_list])
    if areas:
        areas = f"\n  {areas}\n  "
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        '<article class="card group-card">\n'
        f'  <h3><a href="{conditional_escape(group.get_absolute_url())}"'
        f' lang="{conditional_escape(group.shown_name_lang)}">{conditional_escape(group.shown_name)}</a></h3>\n'
        f'  <p class="meta">{place} · {conditional_escape(group.get_area_kind_display())}'
        f" · {conditional_escape(group.get_region_display())}</p>\n"
        f'  <p lang="{conditional_escape(group.shown_summary_lang)}">{conditional_escape(group.shown_summary)}</p>\n'
        f"  {areas}\n"
        "</article>\n"
    )
