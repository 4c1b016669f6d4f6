"""A learning page's peer cards, written in Python.

A learning page shows up to 15 peers; drawing each through templates/learning/_peer_card.html (an include
with about 25 variable lookups and translations) took a sixth of the page's time. `peer_card` writes the
same markup, character for character: tests/learning/test_peer_card.py renders both for every kind of
peer, signed in and not, in English and Welsh. The template stays as the reference: change both together.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.reversing import reverse_fast

register = template.Library()


@register.simple_tag(takes_context=True)
def peer_card(context, match, with_score):
    """`{% include "learning/_peer_card.html" with with_score=... %}` inside the page's `{% for match in ... %}`."""
    peer = match.peer
    slug = peer.slug
    name = conditional_escape(peer.shown_name)
    few = context.get("few")
    beyond = not context.get("show_all") and few is not None and context["forloop"]["counter"] > few
    badge = (
        f'<span class="badge">{conditional_escape(gettext("Historical example"))}</span> ' if match.historical else ""
    )
    score = ""
    if with_score:
        # As {% blocktranslate %}: the message as translated, the value escaped.
        score = " · " + gettext("similarity %(score)s") % {"score": conditional_escape(floatformat(match.score, 2))}
    ask = ""
    if context.get("can_manage") and match.askable:
        ask_url = conditional_escape(reverse_fast("learning:ask", slug=slug))
        question = gettext("Ask %(name)s a question") % {"name": name}
        ask = f' · <a href="{ask_url}?from={conditional_escape(context["group"].slug)}">{question}</a>'
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        f'\n<li class="card{" beyond-phone" if beyond else ""}">\n'
        f'  <h3><a href="{conditional_escape(reverse_fast("learning:group", slug=slug))}"'
        f' lang="{conditional_escape(peer.shown_name_lang)}">{name}</a></h3>\n'
        f'  <p class="meta">{badge}{conditional_escape(peer.place_name)} · '
        f"{conditional_escape(peer.get_area_kind_display())} · {conditional_escape(peer.get_region_display())}"
        f"{score}</p>\n"
        f"  <p>{conditional_escape(match.sentence)}</p>\n"
        f'  <p><a href="{conditional_escape(peer.get_absolute_url())}">'
        f"{conditional_escape(gettext('Their group page'))}</a>{ask}</p>\n"
        "</li>\n"
    )
