"""The solution list's cards, written in Python.

A page of the solution list shows 20 cards; drawing each through templates/challenges/_solution_card.html
(about 20 variable lookups, a translation and a filter) took about a tenth of the page's time.
`solution_card` writes the same markup, character for character: tests/challenges/test_solution_card.py
renders both for every kind of solution, in English and Welsh. The template stays as the reference: change
both together.
"""

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.markup import tag_list

register = template.Library()


@register.simple_tag
def solution_card(solution):
    """`{% include "challenges/_solution_card.html" %}` inside the list's `{% for solution in page %}`."""
    group = solution.group
    content_lang = conditional_escape(group.content_lang)
    # As {% blocktranslate %}: the message as translated, the value escaped.
    stage = gettext("Stage: %(stage)s") % {"stage": conditional_escape(solution.get_stage_display())}
    tags = tag_list(gettext("Approach"), solution.tag_names)
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        '<article class="card">\n'
        f'  <h3 lang="{content_lang}"><a href="{conditional_escape(solution.get_absolute_url())}">'
        f"{conditional_escape(solution.title)}</a></h3>\n"
        f'  <p class="meta"><span lang="{conditional_escape(group.shown_name_lang)}">'
        f"{conditional_escape(group.shown_name)}</span> · {conditional_escape(group.place_name)}"
        f" · {conditional_escape(group.get_area_kind_display())}</p>\n"
        f'  <p class="meta">{conditional_escape(solution.challenge_area.shown_name)} · {stage}</p>\n'
        f'  <p lang="{content_lang}">{conditional_escape(truncatewords(solution.approach, 30))}</p>\n'
        f"  {tags}\n"
        "</article>\n"
    )
