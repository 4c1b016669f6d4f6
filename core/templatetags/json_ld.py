"""`{{ data|json_ld }}`: linked data (JSON-LD, such as schema.org markup) as a script data block.

Like Django's `json_script`, but of type application/ld+json, the type search engines read. `<`, `>` and
`&` are written as JSON escapes (\\u003C …), so nothing people wrote (a `</script>` or `<!--` in a
summary) can end the element early or change how the browser parses it; the JSON reads back unchanged.
A data block is never run, so the Content Security Policy, which allows no inline script, need not allow it.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """`data` (a dict, or a list of them) in a `<script type="application/ld+json">`; nothing for None."""
    if data is None:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
